using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Pds.Azure.Storage;

/// <summary>
/// The multipart/mixed body of an entity group transaction and the parser of its answer. Pure
/// functions: the body shape (one changeset, absolute sub-request URLs, compact JSON on one line,
/// CRLF) is what both Azure and Azurite's regex-based parser accept.
/// </summary>
internal static partial class TableBatch
{
    private const string Crlf = "\r\n";

    public static void Validate(IReadOnlyList<TableTransactionAction> actions)
    {
        if (actions.Count == 0)
        {
            throw new ArgumentException("a transaction needs at least one action", nameof(actions));
        }
        if (actions.Count > TableLimits.MaxBatchActions)
        {
            throw new TableLimitException($"a transaction holds at most {TableLimits.MaxBatchActions} actions, not {actions.Count}");
        }
        var partition = actions[0].Entity.PartitionKey;
        var rows = new HashSet<string>(StringComparer.Ordinal);
        foreach (var action in actions)
        {
            if (action.Entity.PartitionKey != partition)
            {
                throw new ArgumentException("all actions of a transaction must share one PartitionKey", nameof(actions));
            }
            if (!rows.Add(action.Entity.RowKey))
            {
                throw new ArgumentException($"RowKey '{action.Entity.RowKey}' appears twice; a transaction touches each entity once", nameof(actions));
            }
            if (action.Type != TableTransactionActionType.Delete)
            {
                TableLimits.Validate(action.Entity);
            }
        }
    }

    /// <param name="tableEndpoint">The account's table endpoint (path-style on Azurite).</param>
    public static byte[] BuildBody(Uri tableEndpoint, string table, IReadOnlyList<TableTransactionAction> actions, string batchBoundary, string changesetBoundary)
    {
        var sb = new StringBuilder();
        sb.Append("--").Append(batchBoundary).Append(Crlf)
          .Append("Content-Type: multipart/mixed; boundary=").Append(changesetBoundary).Append(Crlf)
          .Append(Crlf);
        foreach (var action in actions)
        {
            var (verb, path) = action.Type switch
            {
                TableTransactionActionType.Insert => ("POST", table),
                TableTransactionActionType.UpsertReplace or TableTransactionActionType.UpdateReplace => ("PUT", TableClient.EntityPath(table, action.Entity.PartitionKey, action.Entity.RowKey)),
                TableTransactionActionType.UpsertMerge or TableTransactionActionType.UpdateMerge => ("MERGE", TableClient.EntityPath(table, action.Entity.PartitionKey, action.Entity.RowKey)),
                TableTransactionActionType.Delete => ("DELETE", TableClient.EntityPath(table, action.Entity.PartitionKey, action.Entity.RowKey)),
                _ => throw new ArgumentOutOfRangeException(nameof(actions)),
            };
            sb.Append("--").Append(changesetBoundary).Append(Crlf)
              .Append("Content-Type: application/http").Append(Crlf)
              .Append("Content-Transfer-Encoding: binary").Append(Crlf)
              .Append(Crlf)
              .Append(verb).Append(' ').Append(StorageUrl.Combine(tableEndpoint, path).AbsoluteUri).Append(" HTTP/1.1").Append(Crlf)
              .Append("Accept: application/json;odata=minimalmetadata").Append(Crlf)
              .Append("DataServiceVersion: 3.0;").Append(Crlf);
            if (action.Type == TableTransactionActionType.Insert)
            {
                sb.Append("Prefer: return-no-content").Append(Crlf);
            }
            if (action.EffectiveIfMatch is { } ifMatch)
            {
                sb.Append("If-Match: ").Append(ifMatch).Append(Crlf);
            }
            if (action.Type == TableTransactionActionType.Delete)
            {
                sb.Append(Crlf);
            }
            else
            {
                // The default JSON encoder escapes non-ASCII, so the whole body stays ASCII and one line per entity.
                sb.Append("Content-Type: application/json").Append(Crlf)
                  .Append(Crlf)
                  .Append(Encoding.UTF8.GetString(TableEntityJson.Serialize(action.Entity))).Append(Crlf);
            }
        }
        sb.Append("--").Append(changesetBoundary).Append("--").Append(Crlf)
          .Append("--").Append(batchBoundary).Append("--").Append(Crlf);
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    /// <summary>
    /// Reads a 202 batch answer: one part per action on success, or a single error part, whose
    /// message starts with the failing action's 0-based index ("2:The specified entity ...").
    /// </summary>
    /// <exception cref="TableTransactionFailedException">The changeset failed; nothing was committed.</exception>
    public static IReadOnlyList<TableTransactionResult> ParseResponse(string contentType, string body, int actionCount, string requestPath)
    {
        var parts = SplitParts(body, BoundaryOf(contentType) ?? throw new FormatException("batch response without a multipart boundary"));
        // The batch holds one changeset response, itself multipart; a part may also be a bare response.
        var responses = new List<SubResponse>();
        foreach (var part in parts)
        {
            var (headers, content) = SplitHeaders(part);
            if (HeaderValue(headers, "Content-Type") is { } ct && ct.StartsWith("multipart/mixed", StringComparison.OrdinalIgnoreCase))
            {
                var inner = BoundaryOf(ct) ?? throw new FormatException("changeset response without a boundary");
                responses.AddRange(SplitParts(content, inner).Select(ParseSubResponse));
            }
            else
            {
                responses.Add(ParseSubResponse(part));
            }
        }
        if (responses.FirstOrDefault(r => r.Status >= 400) is { } failure)
        {
            var (code, message) = StorageErrors.ParseErrorBody(failure.Body);
            code ??= HeaderValue(failure.Headers, "x-ms-error-code");
            var index = FailedIndex(message, failure.Headers, actionCount);
            var text = StorageErrors.Describe("POST", requestPath, failure.Status, code, message)
                + (index is { } i ? $" (action {i}; nothing was committed)" : " (nothing was committed)");
            throw new TableTransactionFailedException(failure.Status, code, index, text);
        }
        if (responses.Count != actionCount)
        {
            throw new FormatException($"batch response has {responses.Count} parts for {actionCount} actions");
        }
        return responses.Select(r => new TableTransactionResult(r.Status, HeaderValue(r.Headers, "ETag"))).ToList();
    }

    private static int? FailedIndex(string? message, IReadOnlyList<KeyValuePair<string, string>> headers, int actionCount)
    {
        if (message is not null && IndexPrefix().Match(message) is { Success: true } m
            && int.TryParse(m.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < actionCount)
        {
            return i;
        }
        return actionCount == 1 ? 0 : null;
    }

    private sealed record SubResponse(int Status, IReadOnlyList<KeyValuePair<string, string>> Headers, string Body);

    private static SubResponse ParseSubResponse(string part)
    {
        // The MIME headers of the part come first; the embedded HTTP response starts at "HTTP/1.1 NNN".
        var start = part.IndexOf("HTTP/1.1 ", StringComparison.Ordinal);
        if (start < 0)
        {
            throw new FormatException("batch response part without an HTTP status line");
        }
        var http = part[start..];
        var lineEnd = http.IndexOf('\n', StringComparison.Ordinal);
        var statusLine = (lineEnd < 0 ? http : http[..lineEnd]).TrimEnd('\r');
        var status = int.Parse(statusLine.AsSpan(9, 3), NumberStyles.None, CultureInfo.InvariantCulture);
        var (headers, body) = SplitHeaders(lineEnd < 0 ? "" : http[(lineEnd + 1)..]);
        return new SubResponse(status, headers, body.Trim());
    }

    private static List<string> SplitParts(string body, string boundary)
    {
        var delimiter = "--" + boundary;
        var parts = new List<string>();
        var pieces = body.Split(delimiter);
        // pieces[0] is the preamble; a piece starting with "--" is the epilogue after the close delimiter.
        foreach (var piece in pieces.Skip(1))
        {
            if (piece.StartsWith("--", StringComparison.Ordinal))
            {
                break;
            }
            parts.Add(piece.TrimStart('\r', '\n'));
        }
        return parts;
    }

    private static (List<KeyValuePair<string, string>> Headers, string Body) SplitHeaders(string text)
    {
        var headers = new List<KeyValuePair<string, string>>();
        var pos = 0;
        while (pos < text.Length)
        {
            var end = text.IndexOf('\n', pos);
            var line = (end < 0 ? text[pos..] : text[pos..end]).TrimEnd('\r');
            pos = end < 0 ? text.Length : end + 1;
            if (line.Length == 0)
            {
                break;
            }
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
            }
        }
        return (headers, text[pos..]);
    }

    private static string? HeaderValue(IEnumerable<KeyValuePair<string, string>> headers, string name) =>
        headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    private static string? BoundaryOf(string contentType)
    {
        var m = BoundaryParameter().Match(contentType);
        return m.Success ? m.Groups[1].Value.Trim('"') : null;
    }

    [GeneratedRegex(@"boundary=(""[^""]+""|[^;\s]+)", RegexOptions.IgnoreCase)]
    private static partial Regex BoundaryParameter();

    [GeneratedRegex(@"^(\d+):")]
    private static partial Regex IndexPrefix();
}
