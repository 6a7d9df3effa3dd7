using System.Globalization;
using System.Xml.Linq;

namespace Pds.Azure.Storage;

/// <summary>
/// Parses a List Blobs answer. Read from a stream, so the UTF-8 BOM Azure puts before its XML
/// (Azurite does not) is handled by the XML reader instead of failing a string parse.
/// </summary>
internal static class BlobListXml
{
    public static BlobPage Parse(Stream xml)
    {
        var root = XDocument.Load(xml).Root ?? throw new FormatException("empty blob list response");
        var items = root.Element("Blobs")?.Elements("Blob").Select(ParseBlob).ToList() ?? [];
        var next = root.Element("NextMarker")?.Value;
        return new BlobPage(items, string.IsNullOrEmpty(next) ? null : next);
    }

    private static BlobItem ParseBlob(XElement blob)
    {
        var props = blob.Element("Properties");
        var length = props?.Element("Content-Length")?.Value;
        var modified = props?.Element("Last-Modified")?.Value;
        return new BlobItem(
            blob.Element("Name")?.Value ?? throw new FormatException("blob list entry without a Name"),
            length is null ? 0 : long.Parse(length, CultureInfo.InvariantCulture),
            NullIfEmpty(props?.Element("Content-Type")?.Value),
            NullIfEmpty(props?.Element("Etag")?.Value),
            modified is null ? null : DateTimeOffset.Parse(modified, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal));
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
