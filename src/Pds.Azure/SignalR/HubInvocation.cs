using System.Text.Json;

namespace Pds.Azure.SignalR;

/// <summary>A server-to-client invocation: a client method name and its JSON arguments (detached from any document).</summary>
public sealed record HubInvocation(string Target, IReadOnlyList<JsonElement> Arguments);
