namespace Pds.Azure.SignalR;

/// <summary>The messages of the JSON hub protocol a listening client cares about.</summary>
internal abstract record HubMessage;

internal sealed record InvocationMessage(HubInvocation Invocation) : HubMessage;

internal sealed record PingMessage : HubMessage
{
    public static readonly PingMessage Instance = new();
}

/// <summary>Type 7: the server is closing; <see cref="AllowReconnect"/> says whether a client may come back.</summary>
internal sealed record CloseMessage(string? Error, bool AllowReconnect) : HubMessage;

/// <summary>Any other type (stream items, completions, acks): ignored by a listener.</summary>
internal sealed record OtherMessage(int Type) : HubMessage;
