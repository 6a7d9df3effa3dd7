namespace Pds.Functions.Xrpc;

public enum XrpcKind
{
    /// <summary>GET (and HEAD): reads.</summary>
    Query,

    /// <summary>POST: writes and actions.</summary>
    Procedure,
}

/// <summary>One XRPC method: an NSID, its kind, and its handler. One implementation per file.</summary>
public interface IXrpcMethod
{
    string Nsid { get; }
    XrpcKind Kind { get; }
    Task HandleAsync(XrpcContext x);
}
