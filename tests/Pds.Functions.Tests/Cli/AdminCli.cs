using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Pds.Functions.Tests.Server;

namespace Pds.Functions.Tests.OperatorCli;

/// <summary>Runs operator commands against a test PDS, and checks their effect over plain HTTP.</summary>
internal static class AdminCli
{
    /// <summary>The command with --server and --admin-password pointing at <paramref name="server"/>.</summary>
    public static Task<CliResult> RunAsync(PdsServerFixture server, params string[] args) =>
        RunAsync(server.BaseUrl, server.Secrets.AdminPassword, args);

    public static Task<CliResult> RunAsync(Uri server, string adminPassword, params string[] args) =>
        CliRunner.RunAsync([.. args, "--server", server.ToString(), "--admin-password", adminPassword]);

    /// <summary>createSession: null if it worked, else the XRPC error name.</summary>
    public static async Task<string?> LoginErrorAsync(HttpClient http, string identifier, string password)
    {
        var response = await http.PostAsJsonAsync("xrpc/com.atproto.server.createSession", new { identifier, password });
        if (response.IsSuccessStatusCode)
        {
            return null;
        }
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        return (string?)body?["error"] ?? $"HTTP {(int)response.StatusCode}";
    }

    /// <summary>A loopback port nothing listens on (at least a moment ago).</summary>
    public static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    /// <summary>An http URL on <see cref="FreePort"/>: connecting is refused.</summary>
    public static Uri ClosedUrl() => new($"http://127.0.0.1:{FreePort()}/");

    public static string UniqueHandle(string prefix) => $"{prefix}{Guid.NewGuid().ToString("N")[..8]}.test";

    /// <summary>The value after "<paramref name="label"/>: " on its own line of the output.</summary>
    public static string Field(CliResult result, string label)
    {
        var line = result.Out.Split('\n').FirstOrDefault(l => l.StartsWith(label + ": ", StringComparison.Ordinal));
        Assert.True(line is not null, $"no '{label}:' line\n{result}");
        return line[(label.Length + 2)..].Trim();
    }
}
