namespace Pds.Azure.SignalR;

/// <summary>
/// A failed SignalR Service call or connection: an error status from the REST API (<see cref="Status"/>),
/// a refused negotiate or handshake, or a close message with an error (Status 0). Never carries keys or tokens.
/// </summary>
public sealed class SignalRException(int status, string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    public SignalRException(string message, Exception? innerException = null)
        : this(0, message, innerException)
    {
    }

    public int Status { get; } = status;
}
