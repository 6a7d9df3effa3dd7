using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Pds.Core.Storage;

namespace Pds.Functions.Api.Com.Atproto.Server;

/// <summary>Invite code format and JSON shape shared by the invite methods.</summary>
public static class InviteCodes
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    /// <summary><c>host-xxxxx-xxxxx</c>, as the reference writes them.</summary>
    public static string NewCode(string hostname) =>
        $"{hostname.Replace('.', '-')}-{RandomNumberGenerator.GetString(Alphabet, 5)}-{RandomNumberGenerator.GetString(Alphabet, 5)}";

    public static JsonObject ToJson(InviteCodeRecord code) => new()
    {
        ["code"] = code.Code,
        ["available"] = code.AvailableUses,
        ["disabled"] = code.Disabled,
        ["forAccount"] = code.ForAccount,
        ["createdBy"] = code.CreatedBy,
        ["createdAt"] = Pds.Core.Syntax.AtDatetime.Format(code.CreatedAt),
        ["uses"] = new JsonArray([.. code.Uses.Select(u => (JsonNode)new JsonObject
        {
            ["usedBy"] = u.UsedBy,
            ["usedAt"] = Pds.Core.Syntax.AtDatetime.Format(u.UsedAt),
        })]),
    };
}
