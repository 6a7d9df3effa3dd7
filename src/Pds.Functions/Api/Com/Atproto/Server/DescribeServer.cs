using System.Text.Json.Nodes;
using Pds.Functions.Hosting;
using Pds.Functions.Xrpc;

namespace Pds.Functions.Api.Com.Atproto.Server;

public sealed class DescribeServer : IXrpcMethod
{
    public string Nsid => "com.atproto.server.describeServer";
    public XrpcKind Kind => XrpcKind.Query;

    public Task HandleAsync(XrpcContext x)
    {
        var config = x.Service<PdsConfig>();
        return x.WriteJsonAsync(new JsonObject
        {
            ["did"] = config.ServiceDid,
            ["availableUserDomains"] = new JsonArray([.. config.ServiceHandleDomains.Select(d => (JsonNode)d)]),
            ["inviteCodeRequired"] = config.InviteRequired,
            ["phoneVerificationRequired"] = false,
            ["links"] = new JsonObject(),
            ["contact"] = new JsonObject(),
        });
    }
}
