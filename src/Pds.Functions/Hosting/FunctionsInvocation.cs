using System.Text.Json;
using System.Text.Json.Nodes;
using Pds.Core.Sequencer;
using Pds.Functions.Firehose;

namespace Pds.Functions.Hosting;

/// <summary>
/// Non-HTTP invocations from the Azure Functions host (custom handler): <c>POST /{function}</c>
/// with <c>{"Data": {...}, "Metadata": {...}}</c>, answered with 2xx JSON
/// <c>{"Outputs": {...}, "Logs": [...], "ReturnValue": null}</c>. A non-2xx answer makes the host
/// retry the message and, after maxDequeueCount tries, move it to the poison queue.
/// </summary>
public static class FunctionsInvocation
{
    public const string SequencerFunction = "sequencer";
    public const string SweepFunction = "sweep";
    private const int MaxBody = 1024 * 1024;

    /// <summary>
    /// The queue trigger: the message names the repository whose outbox has events
    /// (<c>{"did": "..."}</c>); the outbox says what to do. A message without a DID (or the sweep
    /// timer) drains every repository's outbox.
    /// </summary>
    public static async Task SequencerAsync(HttpContext http)
    {
        var sequencer = http.RequestServices.GetRequiredService<SequencerService>();
        var notices = http.RequestServices.GetRequiredService<SequencedNotices>();
        var log = http.RequestServices.GetRequiredService<ILogger<SequencerService>>();
        if (await ReadTriggerAsync(http, "item") is not { } item)
        {
            http.Response.StatusCode = 400;
            await WriteAsync(http, ["invocation body is not {\"Data\": {\"item\": ...}}"]);
            return;
        }
        var events = await sequencer.DrainAsync(SequencerMessage.DidOf(item), http.RequestAborted);
        await notices.PublishAsync(events, http.RequestAborted);
        var line = events.Count == 0
            ? "nothing to sequence"
            : $"sequenced {events.Count} event(s), seq {events[0].Seq}..{events[^1].Seq}";
        log.LogInformation("queue message {Item}: {Result}", item.Length > 200 ? item[..200] : item, line);
        await WriteAsync(http, [line]);
    }

    /// <summary>
    /// The timer trigger (every five minutes): sequences every repository's outbox, for wake-ups
    /// lost between a commit and its queue message, and trims the log to the replay window.
    /// </summary>
    public static async Task SweepAsync(HttpContext http)
    {
        var sequencer = http.RequestServices.GetRequiredService<SequencerService>();
        var notices = http.RequestServices.GetRequiredService<SequencedNotices>();
        var retention = http.RequestServices.GetRequiredService<LogRetention>();
        var log = http.RequestServices.GetRequiredService<ILogger<SequencerService>>();
        var events = await sequencer.DrainAsync(null, http.RequestAborted);
        await notices.PublishAsync(events, http.RequestAborted);
        await retention.TrimIfDueAsync(http.RequestAborted);
        var line = events.Count == 0 ? "sweep: no lost wake-ups" : $"sweep: sequenced {events.Count} event(s) whose wake-up was lost";
        log.LogInformation("{Result}", line);
        await WriteAsync(http, [line]);
    }

    /// <summary>
    /// The trigger value of a binding. String payloads arrive JSON-encoded twice (the host
    /// serialises the string again), so a value that is itself a JSON string is decoded once more.
    /// </summary>
    public static async Task<string?> ReadTriggerAsync(HttpContext http, string binding)
    {
        if (http.Request.ContentLength > MaxBody)
        {
            return null;
        }
        try
        {
            using var doc = await JsonDocument.ParseAsync(http.Request.Body, default, http.RequestAborted);
            if (doc.RootElement.ValueKind != JsonValueKind.Object
                || !doc.RootElement.TryGetProperty("Data", out var data) || data.ValueKind != JsonValueKind.Object
                || !data.TryGetProperty(binding, out var value))
            {
                return null;
            }
            var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
            return text.StartsWith('"') ? JsonSerializer.Deserialize<string>(text) : text;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// No output bindings: announcements go out from this process (in-process hub or the SignalR
    /// REST API), so the function needs none and the host's base64 guessing of string outputs never applies.
    /// </summary>
    private static Task WriteAsync(HttpContext http, string[] logs)
    {
        http.Response.ContentType = "application/json";
        var body = new JsonObject
        {
            ["Outputs"] = new JsonObject(),
            ["Logs"] = new JsonArray([.. logs.Select(l => (JsonNode)l)]),
            ["ReturnValue"] = null,
        };
        return http.Response.WriteAsync(body.ToJsonString());
    }
}
