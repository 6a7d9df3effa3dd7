using System.Text.Json.Nodes;
using Pds.Core.Storage;
using Pds.Core.Xrpc;
using Pds.Functions.Hosting;
using Pds.Functions.Xrpc;

namespace Pds.Functions.Api.Com.Atproto.Repo;

public sealed class DescribeRepo : IXrpcMethod
{
    public string Nsid => "com.atproto.repo.describeRepo";
    public XrpcKind Kind => XrpcKind.Query;

    public async Task HandleAsync(XrpcContext x)
    {
        var repo = x.RequiredQuery("repo");
        var account = await RepoInputs.FindRepoAsync(x, repo);
        if (account is null || account.Status != AccountStatus.Active)
        {
            throw XrpcException.BadRequest("RepoNotFound", $"Could not find user: {repo}");
        }
        var collections = await x.Service<IRepoStore>().ListCollectionsAsync(account.Did, x.Aborted);
        var didDoc = await x.Service<DidDocuments>().GetJsonAsync(account.Did, x.Aborted);
        var handleIsCorrect = didDoc?["alsoKnownAs"] is JsonArray aka && aka.Any(a => (string?)a == "at://" + account.Handle);
        await x.WriteJsonAsync(new JsonObject
        {
            ["handle"] = account.Handle,
            ["did"] = account.Did,
            ["didDoc"] = didDoc ?? new JsonObject(),
            ["collections"] = new JsonArray([.. collections.Select(c => (JsonNode)c)]),
            ["handleIsCorrect"] = handleIsCorrect,
        });
    }
}
