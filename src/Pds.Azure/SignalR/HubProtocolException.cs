namespace Pds.Azure.SignalR;

/// <summary>The one exception for bytes that are not the SignalR JSON hub protocol.</summary>
public sealed class HubProtocolException(string message, Exception? innerException = null)
    : FormatException(message, innerException);
