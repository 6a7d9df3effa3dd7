using System.Globalization;
using Azure.Core;

namespace Pds.Azure.Storage;

/// <summary>
/// One storage queue over the Queue REST API. Payloads go out base64-encoded, the encoding the
/// Functions queue trigger expects by default.
/// </summary>
public sealed class QueueClient
{
    /// <summary>MessageText is limited to 64 KiB, so a base64 payload to 48 KiB.</summary>
    public const int MaxPayloadBytes = 48 * 1024;

    private static readonly TimeSpan MaxVisibility = TimeSpan.FromDays(7);

    private readonly StoragePipeline _pipeline;

    public QueueClient(StorageConnection connection, string queueName, StorageClientOptions? options = null)
    {
        QueueName = StorageNames.Queue(queueName);
        _pipeline = StoragePipeline.ForQueue(connection, options);
    }

    public string QueueName { get; }

    /// <summary>Round trips this client made, retries included.</summary>
    public StorageRequestCounter Requests => _pipeline.Counter;

    /// <summary>Creates the queue; false when it already existed.</summary>
    public async Task<bool> CreateIfNotExistsAsync(CancellationToken ct = default)
    {
        using var message = _pipeline.CreateMessage(RequestMethod.Put, QueueName);
        // 204: exists with the same metadata; 409: exists with other metadata.
        var response = await _pipeline.SendAsync(message, ct, 201, 204, 409).ConfigureAwait(false);
        return response.Status == 201;
    }

    /// <summary>
    /// Enqueues base64(<paramref name="payload"/>). Invisible for <paramref name="initialVisibilityDelay"/>
    /// (default 0); lives for <paramref name="timeToLive"/>, or forever when null (<c>messagettl=-1</c>).
    /// </summary>
    public async Task<QueueSendReceipt> SendMessageAsync(
        ReadOnlyMemory<byte> payload, TimeSpan? initialVisibilityDelay = null, TimeSpan? timeToLive = null, CancellationToken ct = default)
    {
        if (payload.Length > MaxPayloadBytes)
        {
            throw new ArgumentException($"a queue payload of {payload.Length} bytes exceeds {MaxPayloadBytes} (64 KiB once base64-encoded)", nameof(payload));
        }
        var delay = initialVisibilityDelay ?? TimeSpan.Zero;
        if (delay < TimeSpan.Zero || delay > MaxVisibility)
        {
            throw new ArgumentOutOfRangeException(nameof(initialVisibilityDelay), "0 to 7 days");
        }
        var ttl = timeToLive is { } t ? Seconds(t, nameof(timeToLive), min: 1) : "-1";
        using var message = _pipeline.CreateMessage(RequestMethod.Post, $"{QueueName}/messages?visibilitytimeout={Seconds(delay, nameof(initialVisibilityDelay), min: 0)}&messagettl={ttl}");
        message.Request.Headers.SetValue("Content-Type", "application/xml");
        message.Request.Content = RequestContent.Create(QueueXml.PutMessageBody(Convert.ToBase64String(payload.Span)));
        var response = await _pipeline.SendAsync(message, ct, 201).ConfigureAwait(false);
        return QueueXml.Receipt(QueueXml.Messages(response.Content.ToStream()).Single());
    }

    /// <summary>
    /// Dequeues up to <paramref name="maxMessages"/> (1-32), hiding them for
    /// <paramref name="visibilityTimeout"/> (default 30 s) until deleted with their pop receipt.
    /// </summary>
    public async Task<IReadOnlyList<QueueMessage>> ReceiveMessagesAsync(int maxMessages = 1, TimeSpan? visibilityTimeout = null, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxMessages, 32);
        var visibility = visibilityTimeout ?? TimeSpan.FromSeconds(30);
        if (visibility > MaxVisibility)
        {
            throw new ArgumentOutOfRangeException(nameof(visibilityTimeout), "1 second to 7 days");
        }
        using var message = _pipeline.CreateMessage(RequestMethod.Get, $"{QueueName}/messages?numofmessages={maxMessages}&visibilitytimeout={Seconds(visibility, nameof(visibilityTimeout), min: 1)}");
        var response = await _pipeline.SendAsync(message, ct, 200).ConfigureAwait(false);
        return QueueXml.Messages(response.Content.ToStream()).Select(QueueXml.Message).ToList();
    }

    /// <summary>Looks at up to <paramref name="maxMessages"/> visible messages without dequeuing them.</summary>
    public async Task<IReadOnlyList<QueueMessage>> PeekMessagesAsync(int maxMessages = 1, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxMessages, 32);
        using var message = _pipeline.CreateMessage(RequestMethod.Get, $"{QueueName}/messages?peekonly=true&numofmessages={maxMessages}");
        var response = await _pipeline.SendAsync(message, ct, 200).ConfigureAwait(false);
        return QueueXml.Messages(response.Content.ToStream()).Select(QueueXml.Message).ToList();
    }

    /// <summary>Deletes a received message; a stale pop receipt raises 400 PopReceiptMismatch, a deleted message 404.</summary>
    public async Task DeleteMessageAsync(string messageId, string popReceipt, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentException.ThrowIfNullOrEmpty(popReceipt);
        using var message = _pipeline.CreateMessage(RequestMethod.Delete, $"{QueueName}/messages/{StorageUrl.Escape(messageId)}?popreceipt={StorageUrl.Escape(popReceipt)}");
        await _pipeline.SendAsync(message, ct, 204).ConfigureAwait(false);
    }

    private static string Seconds(TimeSpan span, string paramName, int min)
    {
        var seconds = (long)span.TotalSeconds;
        return seconds >= min
            ? seconds.ToString(CultureInfo.InvariantCulture)
            : throw new ArgumentOutOfRangeException(paramName, $"at least {min} second(s)");
    }

}
