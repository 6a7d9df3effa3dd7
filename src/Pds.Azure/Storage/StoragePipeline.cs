using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Pds.Azure.Storage;

/// <summary>
/// One client's HttpPipeline: Azure.Core's retries, logging and transport, then per attempt the
/// round-trip counter and the authentication policy (Shared Key re-signs every retry).
/// </summary>
internal sealed class StoragePipeline
{
    private const string StorageScope = "https://storage.azure.com/.default";

    private readonly HttpPipeline _pipeline;
    private readonly string _version;

    private StoragePipeline(HttpPipeline pipeline, Uri endpoint, string version, StorageRequestCounter counter)
    {
        _pipeline = pipeline;
        _version = version;
        Endpoint = endpoint;
        Counter = counter;
    }

    /// <summary>The service endpoint request paths are relative to.</summary>
    public Uri Endpoint { get; }

    public StorageRequestCounter Counter { get; }

    public static StoragePipeline ForBlob(StorageConnection connection, StorageClientOptions? options) =>
        ForBlobOrQueue(connection, connection.BlobEndpoint, "blob", options ?? new StorageClientOptions());

    public static StoragePipeline ForQueue(StorageConnection connection, StorageClientOptions? options) =>
        ForBlobOrQueue(connection, connection.QueueEndpoint, "queue", options ?? new StorageClientOptions());

    public static StoragePipeline ForTable(StorageConnection connection, StorageClientOptions? options)
    {
        ArgumentNullException.ThrowIfNull(connection);
        options ??= new StorageClientOptions();
        return Build(
            options, connection.RequireEndpoint(connection.TableEndpoint, "table"), options.TableServiceVersion,
            connection.SharedKey is { } key ? new TableSharedKeyPolicy(key, options.TableSharedKeyScheme, options.Clock) : Bearer(connection));
    }

    /// <summary>A request to the endpoint + <paramref name="relative"/> (escaped path and query) with x-ms-version set.</summary>
    public HttpMessage CreateMessage(RequestMethod method, string relative)
    {
        var message = _pipeline.CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(StorageUrl.Combine(Endpoint, relative));
        message.Request.Headers.SetValue("x-ms-version", _version);
        return message;
    }

    /// <summary>Sends; a status outside <paramref name="expected"/> becomes a typed exception.</summary>
    public async Task<Response> SendAsync(HttpMessage message, CancellationToken ct, params int[] expected)
    {
        await _pipeline.SendAsync(message, ct).ConfigureAwait(false);
        var response = message.Response;
        if (Array.IndexOf(expected, response.Status) < 0)
        {
            throw await StorageErrors.FromResponseAsync(message.Request, response, ct).ConfigureAwait(false);
        }
        return response;
    }

    private static HttpPipelinePolicy Bearer(StorageConnection connection) =>
        new BearerTokenAuthenticationPolicy(
            connection.Credential ?? throw new InvalidOperationException("the storage connection has neither a key nor a credential"),
            StorageScope);

    private static StoragePipeline ForBlobOrQueue(StorageConnection connection, Uri? endpoint, string service, StorageClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return Build(
            options, connection.RequireEndpoint(endpoint, service), options.BlobQueueServiceVersion,
            connection.SharedKey is { } key ? new SharedKeyPolicy(key, options.Clock) : Bearer(connection));
    }

    private static StoragePipeline Build(StorageClientOptions options, Uri endpoint, string version, HttpPipelinePolicy auth)
    {
        var counter = options.Counter ?? new StorageRequestCounter();
        var pipeline = HttpPipelineBuilder.Build(options, [], [counter.CreatePolicy(), auth], new StorageResponseClassifier());
        return new StoragePipeline(pipeline, endpoint, version, counter);
    }
}
