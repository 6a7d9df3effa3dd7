using Pds.Core.DataModel;
using Pds.Core.Ipld;

namespace Pds.Core.Services;

/// <summary>Finds the blobs a record references (<c>{"$type": "blob", "ref": link}</c> anywhere in it).</summary>
public static class BlobRefs
{
    public static IReadOnlyList<(Cid Cid, string MimeType, long Size)> Find(DataValue record)
    {
        var found = new List<(Cid, string, long)>();
        Walk(record, found, 0);
        return found;
    }

    private static void Walk(DataValue value, List<(Cid, string, long)> found, int depth)
    {
        if (depth > 64)
        {
            return;
        }
        switch (value)
        {
            case DataMap map:
                if (map["$type"] is DataString { Value: "blob" } && map["ref"] is DataLink link)
                {
                    found.Add((link.Cid, (map["mimeType"] as DataString)?.Value ?? "", (map["size"] as DataInteger)?.Value ?? 0));
                    return;
                }
                foreach (var (_, v) in map.Entries)
                {
                    Walk(v, found, depth + 1);
                }
                break;
            case DataArray array:
                foreach (var item in array.Items)
                {
                    Walk(item, found, depth + 1);
                }
                break;
        }
    }
}
