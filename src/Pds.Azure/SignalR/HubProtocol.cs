using System.Text.Json;

namespace Pds.Azure.SignalR;

/// <summary>
/// The SignalR JSON hub protocol, version 1, for a client that only listens: the handshake, pings,
/// and parsing of server records. Parsing never lets anything but <see cref="HubProtocolException"/> out.
/// </summary>
internal static class HubProtocol
{
    public const int InvocationType = 1;
    public const int PingType = 6;
    public const int CloseType = 7;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    public static ReadOnlyMemory<byte> HandshakeRequest { get; } = """{"protocol":"json","version":1}"""u8.ToArray().Append(HubRecordSplitter.RecordSeparator).ToArray();

    public static ReadOnlyMemory<byte> Ping { get; } = """{"type":6}"""u8.ToArray().Append(HubRecordSplitter.RecordSeparator).ToArray();

    /// <summary>Null when the server accepted the handshake (<c>{}</c>), else its error text.</summary>
    public static string? ParseHandshakeResponse(ReadOnlySpan<byte> record)
    {
        using var doc = Parse(record);
        var root = doc.RootElement;
        if (!root.TryGetProperty("error", out var error))
        {
            return null;
        }
        return error.ValueKind == JsonValueKind.String
            ? error.GetString() ?? ""
            : throw new HubProtocolException("handshake 'error' is not a string");
    }

    public static HubMessage ParseMessage(ReadOnlySpan<byte> record)
    {
        using var doc = Parse(record);
        var root = doc.RootElement;
        if (!root.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.Number
            || !typeElement.TryGetInt32(out var type))
        {
            throw new HubProtocolException("hub message has no integer 'type'");
        }
        return type switch
        {
            InvocationType => ReadInvocation(root),
            PingType => PingMessage.Instance,
            CloseType => new CloseMessage(OptionalString(root, "error"), OptionalBool(root, "allowReconnect")),
            _ => new OtherMessage(type),
        };
    }

    private static InvocationMessage ReadInvocation(JsonElement root)
    {
        var target = OptionalString(root, "target") ?? throw new HubProtocolException("invocation has no 'target'");
        if (!root.TryGetProperty("arguments", out var arguments) || arguments.ValueKind != JsonValueKind.Array)
        {
            throw new HubProtocolException("invocation has no 'arguments' array");
        }
        var list = new JsonElement[arguments.GetArrayLength()];
        var i = 0;
        foreach (var argument in arguments.EnumerateArray())
        {
            list[i++] = argument.Clone();
        }
        return new InvocationMessage(new HubInvocation(target, list));
    }

    private static JsonDocument Parse(ReadOnlySpan<byte> record)
    {
        // JsonDocument checks structure and depth but leaves string contents unchecked until read.
        if (!System.Text.Unicode.Utf8.IsValid(record))
        {
            throw new HubProtocolException("hub protocol record is not valid UTF-8");
        }
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(record.ToArray(), DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new HubProtocolException("hub protocol record is not valid JSON", e);
        }
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
        {
            doc.Dispose();
            throw new HubProtocolException("hub protocol record is not a JSON object");
        }
        return doc;
    }

    private static string? OptionalString(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new HubProtocolException($"hub message '{name}' is not a string");
    }

    private static bool OptionalBool(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var value))
        {
            return false;
        }
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False or JsonValueKind.Null => false,
            _ => throw new HubProtocolException($"hub message '{name}' is not a boolean"),
        };
    }
}
