using System.Globalization;
using System.Text;
using System.Xml.Linq;

namespace Pds.Azure.Storage;

/// <summary>The Put Block List body and the Get Block List answer.</summary>
internal static class BlobBlockListXml
{
    /// <summary>
    /// Every id as <c>&lt;Latest&gt;</c>: the newest staged version of the block, or the committed
    /// one, so a retried commit (after a lost response) commits the same blocks again. Validated
    /// ids are base64, which needs no XML escaping; written by hand so no BOM precedes the XML.
    /// </summary>
    public static byte[] Write(IReadOnlyList<string> blockIds)
    {
        var xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList>");
        foreach (var id in blockIds)
        {
            xml.Append("<Latest>").Append(BlobBlockId.Validate(id, nameof(blockIds))).Append("</Latest>");
        }
        return Encoding.UTF8.GetBytes(xml.Append("</BlockList>").ToString());
    }

    public static BlobBlockList Parse(Stream xml)
    {
        var root = XDocument.Load(xml).Root ?? throw new FormatException("empty block list response");
        return new BlobBlockList(Blocks(root.Element("CommittedBlocks")), Blocks(root.Element("UncommittedBlocks")));
    }

    private static List<BlobBlock> Blocks(XElement? parent) =>
        parent?.Elements("Block").Select(b => new BlobBlock(
            b.Element("Name")?.Value ?? throw new FormatException("block list entry without a Name"),
            long.Parse(b.Element("Size")?.Value ?? "0", NumberStyles.None, CultureInfo.InvariantCulture))).ToList() ?? [];
}
