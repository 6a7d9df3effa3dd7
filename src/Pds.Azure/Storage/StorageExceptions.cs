namespace Pds.Azure.Storage;

/// <summary>
/// A storage request answered with an error status. The message carries the verb, the URL path
/// (never the query, where a SAS would live), the status, the service's error code and the first
/// line of its message: no keys or signatures.
/// </summary>
public class StorageRequestException : Exception
{
    public StorageRequestException(int status, string? errorCode, string message, Exception? inner = null)
        : base(message, inner)
    {
        Status = status;
        ErrorCode = errorCode;
    }

    /// <summary>The HTTP status of the failed request.</summary>
    public int Status { get; }

    /// <summary>The service's error code (<c>x-ms-error-code</c> or the body's), when it sent one.</summary>
    public string? ErrorCode { get; }

    public bool IsNotFound => Status == 404;
    public bool IsConflict => Status == 409;
    public bool IsPreconditionFailed => Status == 412;
}

/// <summary>404: the table, entity, container, blob, queue or message does not exist.</summary>
public sealed class StorageNotFoundException(int status, string? errorCode, string message)
    : StorageRequestException(status, errorCode, message);

/// <summary>409: it already exists (entity, blob with If-None-Match: *), or a lease is held.</summary>
public sealed class StorageConflictException(int status, string? errorCode, string message)
    : StorageRequestException(status, errorCode, message);

/// <summary>412: the If-Match ETag (or lease condition) no longer holds; reread and retry.</summary>
public sealed class StorageConcurrencyException(int status, string? errorCode, string message)
    : StorageRequestException(status, errorCode, message);

/// <summary>
/// An entity group transaction failed: nothing in it was committed. <see cref="FailedActionIndex"/>
/// is the 0-based index of the action the service blamed, when it said.
/// </summary>
public sealed class TableTransactionFailedException(int status, string? errorCode, int? failedActionIndex, string message)
    : StorageRequestException(status, errorCode, message)
{
    public int? FailedActionIndex { get; } = failedActionIndex;
}
