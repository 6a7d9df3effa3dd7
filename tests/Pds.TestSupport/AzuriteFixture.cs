using System.Net.Sockets;
using System.Text.RegularExpressions;
using Pds.Azure.Storage;

namespace Pds.TestSupport;

/// <summary>
/// A real Azurite (tests/azurite, pinned 3.37.0) with in-memory persistence on three free
/// 127.0.0.1 ports, started once per test class and killed after it. The ports come from
/// Azurite's own "successfully listening at" lines (it accepts port 0).
/// </summary>
public sealed partial class AzuriteFixture : IAsyncLifetime
{
    private readonly Dictionary<string, Uri> _listening = new(StringComparer.Ordinal);
    private ChildProcess? _process;
    private string? _workspace;

    public StorageConnection Connection { get; private set; } = null!;
    public Uri BlobRoot { get; private set; } = null!;
    public Uri QueueRoot { get; private set; } = null!;
    public Uri TableRoot { get; private set; } = null!;

    /// <summary>The same account as a connection string (AzureWebJobsStorage for a PDS under test).</summary>
    public string ConnectionString => StorageConnection.DevelopmentConnectionString(BlobRoot, QueueRoot, TableRoot);

    /// <summary>Everything Azurite printed (for failure messages).</summary>
    public string Output => _process?.Output ?? "";

    /// <summary>
    /// The exact arguments after the script path; README.md in tests/azurite shows the same.
    /// (--location cannot be combined with --inMemoryPersistence, so the working directory is a
    /// temporary folder instead, in case anything is written at all.)
    /// </summary>
    public static IReadOnlyList<string> Arguments { get; } =
    [
        "--silent", "--inMemoryPersistence", "--disableTelemetry",
        "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
        "--blobPort", "0", "--queuePort", "0", "--tablePort", "0",
    ];

    public async Task InitializeAsync()
    {
        var script = Path.Combine(RepoPaths.Root, "tests", "azurite", "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException("tests/azurite/node_modules is missing: run scripts/install-test-deps.sh");
        }
        var node = RepoPaths.FindExecutable("node") ?? throw new InvalidOperationException("node is not on PATH");
        _workspace = Directory.CreateTempSubdirectory("azurite-").FullName;
        _process = new ChildProcess(node, [script, .. Arguments], _workspace, OnLine);
        await _process.WaitReadyAsync(TimeSpan.FromSeconds(60));
        BlobRoot = _listening["Blob"];
        QueueRoot = _listening["Queue"];
        TableRoot = _listening["Table"];
        foreach (var root in new[] { BlobRoot, QueueRoot, TableRoot })
        {
            await WaitForPortAsync(root);
        }
        Connection = StorageConnection.Development(BlobRoot, QueueRoot, TableRoot);
    }

    public Task DisposeAsync()
    {
        _process?.Dispose();
        if (_workspace is not null)
        {
            try
            {
                Directory.Delete(_workspace, recursive: true);
            }
            catch (IOException)
            {
                // A temp folder left behind is harmless.
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>A fresh name per test (tables: letters and digits; containers and queues: lowercase).</summary>
    public static string UniqueName(string prefix) => prefix + Guid.NewGuid().ToString("N")[..12];

    private string? OnLine(string line)
    {
        var m = ListeningLine().Match(line);
        if (!m.Success)
        {
            return null;
        }
        lock (_listening)
        {
            _listening[m.Groups[1].Value] = new Uri(m.Groups[2].Value);
            return _listening.Count == 3 ? "ready" : null;
        }
    }

    private static async Task WaitForPortAsync(Uri root)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(root.Host, root.Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    [GeneratedRegex(@"Azurite (Blob|Queue|Table) service is successfully listening at (http://\S+)")]
    private static partial Regex ListeningLine();
}
