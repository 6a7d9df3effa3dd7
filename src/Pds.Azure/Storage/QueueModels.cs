using System.Globalization;
using System.Xml.Linq;

namespace Pds.Azure.Storage;

/// <summary>What Put Message returns: the id and the receipt for deleting or updating it.</summary>
public sealed record QueueSendReceipt(
    string MessageId, string PopReceipt, DateTimeOffset InsertionTime, DateTimeOffset ExpirationTime, DateTimeOffset TimeNextVisible);

/// <summary>
/// A received or peeked message. <see cref="MessageText"/> is the text as stored (base64 for the
/// messages this client and the Functions queue trigger use); <see cref="Body"/> is its base64
/// decoding, or null when the text is not base64. Peeked messages have no pop receipt.
/// </summary>
public sealed record QueueMessage(
    string MessageId, string? PopReceipt, string MessageText, byte[]? Body, long DequeueCount,
    DateTimeOffset InsertionTime, DateTimeOffset ExpirationTime, DateTimeOffset? TimeNextVisible);

/// <summary>The Queue service's XML bodies.</summary>
internal static class QueueXml
{
    public static byte[] PutMessageBody(string messageText) =>
        System.Text.Encoding.UTF8.GetBytes(new XElement("QueueMessage", new XElement("MessageText", messageText)).ToString(SaveOptions.DisableFormatting));

    public static List<XElement> Messages(Stream xml) =>
        XDocument.Load(xml).Root?.Elements("QueueMessage").ToList() ?? throw new FormatException("empty queue response");

    public static QueueSendReceipt Receipt(XElement m) => new(
        Required(m, "MessageId"), Required(m, "PopReceipt"),
        Date(Required(m, "InsertionTime")), Date(Required(m, "ExpirationTime")), Date(Required(m, "TimeNextVisible")));

    public static QueueMessage Message(XElement m)
    {
        var text = m.Element("MessageText")?.Value ?? "";
        var body = new byte[text.Length];
        byte[]? decoded = Convert.TryFromBase64String(text, body, out var n) ? body[..n] : null;
        var nextVisible = m.Element("TimeNextVisible")?.Value;
        return new QueueMessage(
            Required(m, "MessageId"), m.Element("PopReceipt")?.Value, text, decoded,
            long.Parse(m.Element("DequeueCount")?.Value ?? "0", CultureInfo.InvariantCulture),
            Date(Required(m, "InsertionTime")), Date(Required(m, "ExpirationTime")),
            nextVisible is null ? null : Date(nextVisible));
    }

    private static string Required(XElement m, string name) =>
        m.Element(name)?.Value ?? throw new FormatException($"queue message without {name}");

    // RFC 1123, e.g. "Sun, 22 Nov 2026 02:04:43 GMT".
    private static DateTimeOffset Date(string s) =>
        DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
