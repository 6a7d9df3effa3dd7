using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;

namespace Pds.Azure.SignalR;

/// <summary>
/// Broadcasts through the SignalR Service REST API (serverless mode): POST
/// {endpoint}/api/hubs/{hub}/:send. Authenticates with the AccessKey (HS256 per request) or,
/// for identity-based connection strings, an Entra token (role SignalR REST API Owner).
/// </summary>
public sealed class SignalRRestPublisher
{
    public const string Scope = "https://signalr.azure.com/.default";

    /// <summary>The service refuses bodies over 1 MB; we refuse them first, before any request.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    private const int ErrorTextLimit = 300;

    private readonly HttpPipeline _pipeline;
    private readonly Uri _endpoint;
    private readonly string _apiVersion;

    public SignalRRestPublisher(SignalRConnectionString connectionString, SignalRRestPublisherOptions? options = null, TokenCredential? credential = null)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        options ??= new SignalRRestPublisherOptions();
        _endpoint = connectionString.Endpoint;
        _apiVersion = options.ApiVersion;
        if (connectionString.AccessKey is null && connectionString.Endpoint.Scheme != Uri.UriSchemeHttps)
        {
            // Azure.Core refuses to send bearer tokens over plain http; say so before the first send.
            throw new ArgumentException("identity-based SignalR connection strings need an https endpoint", nameof(connectionString));
        }
        HttpPipelinePolicy auth = connectionString.AccessKey is { } key
            ? new AccessKeyAuthenticationPolicy(key, options.TokenLifetime, options.TimeProvider)
            : new BearerTokenAuthenticationPolicy(credential ?? connectionString.CreateCredential(), Scope);
        _pipeline = HttpPipelineBuilder.Build(options, auth);
    }

    /// <summary>Invokes <paramref name="target"/> with <paramref name="arguments"/> on every client of the hub.</summary>
    public Task SendToAllAsync(string hub, string target, JsonArray arguments, CancellationToken cancellationToken = default) =>
        SendAsync($"/api/hubs/{HubName.Normalize(hub)}/:send", target, arguments, cancellationToken);

    public Task SendToGroupAsync(string hub, string group, string target, JsonArray arguments, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(group) || group.Length > 1024)
        {
            throw new ArgumentException("group name must be 1-1024 characters", nameof(group));
        }
        return SendAsync($"/api/hubs/{HubName.Normalize(hub)}/groups/{Uri.EscapeDataString(group)}/:send", target, arguments, cancellationToken);
    }

    private async Task SendAsync(string path, string target, JsonArray arguments, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(target);
        ArgumentNullException.ThrowIfNull(arguments);
        var body = Serialize(target, arguments);
        if (body.Length > MaxBodyBytes)
        {
            throw new ArgumentException($"message is {body.Length} bytes; SignalR Service accepts at most {MaxBodyBytes}", nameof(arguments));
        }

        using var message = _pipeline.CreateMessage();
        var request = message.Request;
        request.Method = RequestMethod.Post;
        request.Uri.Reset(_endpoint);
        request.Uri.AppendPath(path, escape: false);
        request.Uri.AppendQuery("api-version", _apiVersion);
        request.Headers.Add(HttpHeader.Names.ContentType, "application/json");
        request.Content = RequestContent.Create(body);
        try
        {
            await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e)
        {
            throw new SignalRException(e.Status, $"SignalR REST request failed: {e.Message}", e);
        }
        catch (AuthenticationFailedException e)
        {
            throw new SignalRException(0, "could not get a token for SignalR Service", e);
        }
        var response = message.Response;
        if (response.Status != 202)
        {
            var text = Encoding.UTF8.GetString(response.Content.ToMemory().Span);
            if (text.Length > ErrorTextLimit)
            {
                text = text[..ErrorTextLimit] + "...";
            }
            throw new SignalRException(response.Status, $"SignalR REST send answered {response.Status} {response.ReasonPhrase}" + (text.Length > 0 ? $": {text}" : ""));
        }
    }

    // The caller's array is written, not attached, so it stays usable (a JsonNode has one parent).
    private static byte[] Serialize(string target, JsonArray arguments)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("target", target);
            writer.WritePropertyName("arguments");
            arguments.WriteTo(writer);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
