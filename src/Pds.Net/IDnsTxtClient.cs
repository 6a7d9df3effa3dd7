using Pds.Core.Identity;

namespace Pds.Net;

/// <summary>Looks up TXT records of one name.</summary>
public interface IDnsTxtClient
{
    /// <summary>
    /// The parsed response. Throws <see cref="TimeoutException"/> when no server answered,
    /// <see cref="DnsFormatException"/> for a malformed answer, and socket errors as they come.
    /// </summary>
    Task<DnsResponse> QueryTxtAsync(string name, CancellationToken cancellationToken);
}
