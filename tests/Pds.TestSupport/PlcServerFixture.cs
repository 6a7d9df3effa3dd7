namespace Pds.TestSupport;

/// <summary>
/// A real PLC directory: <c>node tests/plc/plc-server.mjs</c> (@did-plc/server with its in-memory
/// database) on a free 127.0.0.1 port, started once per test class and stopped after it.
/// </summary>
public sealed class PlcServerFixture : IAsyncLifetime
{
    private const string ReadyPrefix = "PLC_READY ";
    private ChildProcess? _process;

    public Uri Url { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var folder = Path.Combine(RepoPaths.Root, "tests", "plc");
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "@did-plc", "server")))
        {
            throw new InvalidOperationException("tests/plc/node_modules is missing: run scripts/install-test-deps.sh");
        }
        var node = RepoPaths.FindExecutable("node") ?? throw new InvalidOperationException("node is not on PATH");
        _process = new ChildProcess(
            node, ["plc-server.mjs", "0"], folder,
            line => line.StartsWith(ReadyPrefix, StringComparison.Ordinal) ? line[ReadyPrefix.Length..].Trim() : null,
            stopsOnStdinClose: true);
        Url = new Uri(await _process.WaitReadyAsync(TimeSpan.FromSeconds(60)));
    }

    public Task DisposeAsync()
    {
        _process?.Dispose();
        return Task.CompletedTask;
    }
}
