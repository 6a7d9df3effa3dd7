using Pds.Core.Syntax;

namespace Pds.Core.Repo;

/// <summary>A record's place in the repo: <c>collection/rkey</c>, the MST key.</summary>
public static class RepoPath
{
    public static string Format(Nsid collection, RecordKey rkey) => $"{collection}/{rkey}";

    /// <summary>Splits and validates an MST key as a collection NSID and a record key.</summary>
    public static bool TryParse(string path, out Nsid? collection, out RecordKey? rkey)
    {
        collection = null;
        rkey = null;
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && path.Length <= Mst.MstKey.MaxLength &&
            Nsid.TryParse(path[..slash], out collection) && RecordKey.TryParse(path[(slash + 1)..], out rkey);
    }
}
