using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Core;

namespace Pds.Azure.Storage;

/// <summary>
/// One table over the Table REST API (JSON, minimalmetadata). Writes return the new ETag; stale
/// If-Match raises <see cref="StorageConcurrencyException"/>, a missing entity
/// <see cref="StorageNotFoundException"/>, an existing one on insert <see cref="StorageConflictException"/>.
/// </summary>
public sealed class TableClient
{
    private const string Accept = "application/json;odata=minimalmetadata";
    private static readonly RequestMethod Merge = new("MERGE");

    private readonly StoragePipeline _pipeline;

    public TableClient(StorageConnection connection, string tableName, StorageClientOptions? options = null)
    {
        TableName = StorageNames.Table(tableName);
        _pipeline = StoragePipeline.ForTable(connection, options);
    }

    public string TableName { get; }

    /// <summary>Round trips this client made, retries included.</summary>
    public StorageRequestCounter Requests => _pipeline.Counter;

    /// <summary>Creates the table; false when it already existed.</summary>
    public async Task<bool> CreateIfNotExistsAsync(CancellationToken ct = default)
    {
        using var message = Create(RequestMethod.Post, "Tables");
        message.Request.Headers.SetValue("Prefer", "return-no-content");
        SetJson(message, Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Dictionary<string, string> { ["TableName"] = TableName })));
        var response = await _pipeline.SendAsync(message, ct, 201, 204, 409).ConfigureAwait(false);
        return response.Status != 409;
    }

    /// <summary>Point read; null when the entity does not exist.</summary>
    public async Task<TableEntity?> GetEntityAsync(string partitionKey, string rowKey, IReadOnlyList<string>? select = null, CancellationToken ct = default)
    {
        var path = EntityPath(TableName, partitionKey, rowKey);
        if (select is { Count: > 0 })
        {
            path += "?$select=" + Uri.EscapeDataString(string.Join(',', select));
        }
        using var message = Create(RequestMethod.Get, path);
        var response = await _pipeline.SendAsync(message, ct, 200, 404).ConfigureAwait(false);
        if (response.Status == 404)
        {
            return null;
        }
        using var doc = JsonDocument.Parse(response.Content.ToMemory());
        return TableEntityJson.Read(doc.RootElement, ETagOf(response));
    }

    /// <summary>One page of a query; pass <see cref="TablePage.Continuation"/> back for the next.</summary>
    public async Task<TablePage> QueryPageAsync(TableQuery query, TableContinuationToken? continuation = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parameters = new List<string>();
        if (query.Filter is { Length: > 0 } filter)
        {
            parameters.Add("$filter=" + Uri.EscapeDataString(filter));
        }
        if (query.Select is { Count: > 0 } select)
        {
            parameters.Add("$select=" + Uri.EscapeDataString(string.Join(',', select)));
        }
        if (query.Top is { } top)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(top, 1, nameof(query));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(top, 1000, nameof(query));
            parameters.Add("$top=" + top.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        if (continuation is not null)
        {
            parameters.Add("NextPartitionKey=" + Uri.EscapeDataString(continuation.NextPartitionKey));
            // Never an empty NextRowKey=: only when the service sent one.
            if (continuation.NextRowKey is { Length: > 0 } nextRow)
            {
                parameters.Add("NextRowKey=" + Uri.EscapeDataString(nextRow));
            }
        }
        var path = TableName + "()" + (parameters.Count > 0 ? "?" + string.Join('&', parameters) : "");
        using var message = Create(RequestMethod.Get, path);
        var response = await _pipeline.SendAsync(message, ct, 200).ConfigureAwait(false);
        using var doc = JsonDocument.Parse(response.Content.ToMemory());
        var entities = doc.RootElement.GetProperty("value").EnumerateArray().Select(e => TableEntityJson.Read(e, etag: null)).ToList();
        TableContinuationToken? next = null;
        if (response.Headers.TryGetValue("x-ms-continuation-NextPartitionKey", out var nextPk) && !string.IsNullOrEmpty(nextPk))
        {
            response.Headers.TryGetValue("x-ms-continuation-NextRowKey", out var nextRk);
            next = new TableContinuationToken(nextPk, string.IsNullOrEmpty(nextRk) ? null : nextRk);
        }
        return new TablePage(entities, next);
    }

    /// <summary>Every entity the query matches, page after page.</summary>
    public async IAsyncEnumerable<TableEntity> QueryAsync(TableQuery query, [EnumeratorCancellation] CancellationToken ct = default)
    {
        TableContinuationToken? continuation = null;
        do
        {
            var page = await QueryPageAsync(query, continuation, ct).ConfigureAwait(false);
            foreach (var entity in page.Entities)
            {
                yield return entity;
            }
            continuation = page.Continuation;
        }
        while (continuation is not null);
    }

    /// <summary>Inserts; <see cref="StorageConflictException"/> (EntityAlreadyExists) if it exists. Returns the ETag.</summary>
    public async Task<string?> InsertAsync(TableEntity entity, CancellationToken ct = default)
    {
        TableLimits.Validate(entity);
        using var message = Create(RequestMethod.Post, TableName);
        message.Request.Headers.SetValue("Prefer", "return-no-content");
        SetJson(message, TableEntityJson.Serialize(entity));
        return ETagOf(await _pipeline.SendAsync(message, ct, 201, 204).ConfigureAwait(false));
    }

    /// <summary>Insert-or-replace / insert-or-merge (no If-Match). Returns the ETag.</summary>
    public Task<string?> UpsertAsync(TableEntity entity, TableUpdateMode mode = TableUpdateMode.Replace, CancellationToken ct = default) =>
        WriteAsync(entity, mode, ifMatch: null, ct);

    /// <summary>
    /// Replace or merge an existing entity if its ETag still is <paramref name="ifMatch"/> ("*" =
    /// any). Returns the new ETag.
    /// </summary>
    public Task<string?> UpdateAsync(TableEntity entity, string ifMatch, TableUpdateMode mode = TableUpdateMode.Replace, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(ifMatch);
        return WriteAsync(entity, mode, ifMatch, ct);
    }

    /// <summary>Deletes if the ETag still is <paramref name="ifMatch"/> ("*" = unconditional).</summary>
    public async Task DeleteAsync(string partitionKey, string rowKey, string ifMatch = "*", CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(ifMatch);
        using var message = Create(RequestMethod.Delete, EntityPath(TableName, partitionKey, rowKey));
        message.Request.Headers.SetValue("If-Match", ifMatch);
        await _pipeline.SendAsync(message, ct, 204).ConfigureAwait(false);
    }

    /// <summary>
    /// An entity group transaction: up to 100 actions on one partition, all or nothing. Results
    /// are in action order.
    /// </summary>
    /// <exception cref="TableTransactionFailedException">An action failed; nothing was committed.</exception>
    public async Task<IReadOnlyList<TableTransactionResult>> SubmitTransactionAsync(IReadOnlyList<TableTransactionAction> actions, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actions);
        TableBatch.Validate(actions);
        var batch = "batch_" + Guid.NewGuid().ToString("D");
        var changeset = "changeset_" + Guid.NewGuid().ToString("D");
        var body = TableBatch.BuildBody(_pipeline.Endpoint, TableName, actions, batch, changeset);
        if (body.Length > TableLimits.MaxBatchBodyBytes)
        {
            throw new TableLimitException($"transaction body is {body.Length} bytes; the limit is {TableLimits.MaxBatchBodyBytes} (4 MiB)");
        }
        using var message = Create(RequestMethod.Post, "$batch");
        message.Request.Headers.SetValue("Content-Type", "multipart/mixed; boundary=" + batch);
        message.Request.Content = RequestContent.Create(body);
        var response = await _pipeline.SendAsync(message, ct, 202).ConfigureAwait(false);
        response.Headers.TryGetValue("Content-Type", out var contentType);
        return TableBatch.ParseResponse(contentType ?? "", response.Content.ToString(), actions.Count, message.Request.Uri.Path);
    }

    /// <summary><c>table(PartitionKey='..',RowKey='..')</c> with quotes doubled and the keys percent-encoded.</summary>
    internal static string EntityPath(string table, string partitionKey, string rowKey)
    {
        TableKey.Validate(partitionKey, nameof(partitionKey));
        TableKey.Validate(rowKey, nameof(rowKey));
        return $"{table}(PartitionKey='{EscapeKey(partitionKey)}',RowKey='{EscapeKey(rowKey)}')";
    }

    private static string EscapeKey(string key) => Uri.EscapeDataString(key.Replace("'", "''", StringComparison.Ordinal));

    private async Task<string?> WriteAsync(TableEntity entity, TableUpdateMode mode, string? ifMatch, CancellationToken ct)
    {
        TableLimits.Validate(entity);
        var method = mode == TableUpdateMode.Replace ? RequestMethod.Put : Merge;
        using var message = Create(method, EntityPath(TableName, entity.PartitionKey, entity.RowKey));
        if (ifMatch is not null)
        {
            message.Request.Headers.SetValue("If-Match", ifMatch);
        }
        SetJson(message, TableEntityJson.Serialize(entity));
        return ETagOf(await _pipeline.SendAsync(message, ct, 204).ConfigureAwait(false));
    }

    private HttpMessage Create(RequestMethod method, string relative)
    {
        var message = _pipeline.CreateMessage(method, relative);
        var headers = message.Request.Headers;
        headers.SetValue("Accept", Accept);
        headers.SetValue("DataServiceVersion", "3.0;NetFx");
        headers.SetValue("MaxDataServiceVersion", "3.0;NetFx");
        return message;
    }

    private static void SetJson(HttpMessage message, byte[] json)
    {
        message.Request.Headers.SetValue("Content-Type", "application/json");
        message.Request.Content = RequestContent.Create(json);
    }

    private static string? ETagOf(Response response) => response.Headers.TryGetValue("ETag", out var etag) ? etag : null;
}
