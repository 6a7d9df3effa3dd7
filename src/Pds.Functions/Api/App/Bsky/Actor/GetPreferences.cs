using System.Text.Json.Nodes;
using Pds.Core.Storage;
using Pds.Functions.Xrpc;

namespace Pds.Functions.Api.App.Bsky.Actor;

/// <summary>Private preferences stay on the PDS (they are never part of the public repo).</summary>
public sealed class GetPreferences : IXrpcMethod
{
    public const string Scope = "app.bsky";

    public string Nsid => "app.bsky.actor.getPreferences";
    public XrpcKind Kind => XrpcKind.Query;

    public async Task HandleAsync(XrpcContext x)
    {
        var auth = x.RequireAuth();
        var stored = await x.Service<IPreferenceStore>().GetAsync(auth.Did, Scope, x.Aborted);
        var preferences = stored is null ? new JsonArray() : JsonNode.Parse(stored) as JsonArray ?? [];
        if (!auth.IsPrivileged)
        {
            // App passwords without privilege do not see personal details.
            foreach (var p in preferences.Where(p => (string?)p?["$type"] == "app.bsky.actor.defs#personalDetailsPref").ToList())
            {
                preferences.Remove(p);
            }
        }
        await x.WriteJsonAsync(new JsonObject { ["preferences"] = preferences });
    }
}
