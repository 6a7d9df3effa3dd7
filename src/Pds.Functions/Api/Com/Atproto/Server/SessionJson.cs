using System.Text.Json.Nodes;
using Pds.Core.Services;
using Pds.Core.Storage;
using Pds.Functions.Api.Com.Atproto.Sync;

namespace Pds.Functions.Api.Com.Atproto.Server;

/// <summary>The session shape shared by createSession, refreshSession and createAccount.</summary>
public static class SessionJson
{
    public static JsonObject From(Session session, JsonNode? didDoc = null)
    {
        var json = new JsonObject
        {
            ["accessJwt"] = session.AccessJwt,
            ["refreshJwt"] = session.RefreshJwt,
            ["handle"] = session.Account.Handle,
            ["did"] = session.Account.Did,
        };
        AddAccountFields(json, session.Account);
        if (didDoc is not null)
        {
            json["didDoc"] = didDoc;
        }
        return json;
    }

    public static void AddAccountFields(JsonObject json, AccountRecord account)
    {
        if (account.Email is not null)
        {
            json["email"] = account.Email;
            json["emailConfirmed"] = false;
        }
        json["active"] = account.Status == AccountStatus.Active;
        if (SyncInputs.StatusName(account.Status) is { } status)
        {
            json["status"] = status;
        }
    }
}
