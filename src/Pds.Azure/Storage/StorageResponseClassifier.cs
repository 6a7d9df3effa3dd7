using Azure.Core;

namespace Pds.Azure.Storage;

/// <summary>
/// Azure.Core's default retry rules, except that a failure of the caller's upload stream is
/// final: retrying cannot make a short or non-rewindable stream whole.
/// </summary>
internal sealed class StorageResponseClassifier : ResponseClassifier
{
    public override bool IsRetriable(HttpMessage message, Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is UploadStreamException)
            {
                return false;
            }
        }
        return base.IsRetriable(message, exception);
    }
}
