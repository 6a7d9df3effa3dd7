using System.Text.Json;
using Pds.Core.Syntax;

namespace Pds.Core.Sequencer;

/// <summary>
/// The wake-up message on the sequencer queue: <c>{"did": "did:plc:..."}</c>. Only a hint — the
/// outbox is the truth — so anything unreadable means "look at every repository".
/// </summary>
public static class SequencerMessage
{
    public static string Create(string did) => JsonSerializer.Serialize(new Dictionary<string, string> { ["did"] = did });

    /// <summary>The DID the message names, or null (not JSON, no did, not a valid DID).</summary>
    public static string? DidOf(string message)
    {
        try
        {
            using var doc = JsonDocument.Parse(message, new JsonDocumentOptions { MaxDepth = 4 });
            return doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("did", out var did) && did.ValueKind == JsonValueKind.String
                && Did.TryParse(did.GetString(), out _, out _)
                ? did.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
