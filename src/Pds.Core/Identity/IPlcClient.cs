using Pds.Core.Ipld;
using Pds.Core.Syntax;

namespace Pds.Core.Identity;

/// <summary>A did:plc directory.</summary>
public interface IPlcClient
{
    /// <summary>Submits a signed operation; a rejection throws <see cref="PlcDirectoryException"/> with the directory's message.</summary>
    Task SubmitAsync(Did did, PlcOperation signedOperation, CancellationToken cancellationToken);

    /// <summary>The DID's most recent operation and its CID (the next operation's prev), or null for an unknown DID.</summary>
    Task<PlcLastOperation?> GetLastOperationAsync(Did did, CancellationToken cancellationToken);

    /// <summary>The DID's valid operations, oldest first, or null for an unknown DID.</summary>
    Task<IReadOnlyList<PlcOperation>?> GetOperationLogAsync(Did did, CancellationToken cancellationToken);

    /// <summary>The DID document the directory renders, or null for an unknown or tombstoned DID.</summary>
    Task<DidDocument?> GetDocumentAsync(Did did, CancellationToken cancellationToken);
}

public sealed record PlcLastOperation(PlcOperation Operation, Cid Cid);

/// <summary>
/// The directory refused a request or failed. <see cref="StatusCode"/> is the HTTP status
/// (0 when no response arrived); the message is the directory's own where it gave one.
/// </summary>
public sealed class PlcDirectoryException(int statusCode, string message, Exception? inner = null) : Exception(message, inner)
{
    public int StatusCode { get; } = statusCode;

    /// <summary>True for a 4xx answer: the operation itself was rejected, retrying will not help.</summary>
    public bool IsRejection => StatusCode is >= 400 and < 500;
}
