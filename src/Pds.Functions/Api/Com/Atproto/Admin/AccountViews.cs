using System.Text.Json.Nodes;
using Pds.Core.Storage;
using Pds.Core.Syntax;

namespace Pds.Functions.Api.Com.Atproto.Admin;

/// <summary>com.atproto.admin.defs#accountView and the repoRef subject shape.</summary>
public static class AccountViews
{
    public static JsonObject ToJson(AccountRecord a)
    {
        var view = new JsonObject
        {
            ["did"] = a.Did,
            ["handle"] = a.Handle,
            ["indexedAt"] = AtDatetime.Format(a.CreatedAt),
        };
        if (a.Email is not null)
        {
            view["email"] = a.Email;
        }
        if (a.InvitedBy is not null)
        {
            view["invitedBy"] = new JsonObject { ["code"] = a.InvitedBy };
        }
        // Deactivation is the holder's and is shown under a takedown too; the time is not stored.
        if (a.Deactivated)
        {
            view["deactivatedAt"] = AtDatetime.Format(a.CreatedAt);
        }
        return view;
    }

    public static JsonObject RepoRef(string did) => new() { ["$type"] = "com.atproto.admin.defs#repoRef", ["did"] = did };
}
