namespace Pds.Core.Xrpc;

/// <summary>
/// An XRPC error: HTTP status, the error name a client switches on, and a message for people.
/// Thrown by handlers and services; the edge turns it into <c>{"error", "message"}</c>.
/// </summary>
public class XrpcException(int status, string error, string message) : Exception(message)
{
    public int Status { get; } = status;
    public string Error { get; } = error;

    public static XrpcException InvalidRequest(string message) => new(400, "InvalidRequest", message);
    public static XrpcException BadRequest(string error, string message) => new(400, error, message);
    public static XrpcException AuthRequired(string message = "Authentication Required") => new(401, "AuthenticationRequired", message);
    public static XrpcException InvalidToken(string message = "Token could not be verified") => new(400, "InvalidToken", message);
    public static XrpcException ExpiredToken(string message = "Token has expired") => new(400, "ExpiredToken", message);
    public static XrpcException Forbidden(string message) => new(403, "Forbidden", message);
    public static XrpcException NotFound(string error, string message) => new(404, error, message);
    public static XrpcException PayloadTooLarge(string message) => new(413, "PayloadTooLarge", message);
    public static XrpcException MethodNotImplemented(string nsid) => new(501, "MethodNotImplemented", $"Method Not Implemented: {nsid}");
}
