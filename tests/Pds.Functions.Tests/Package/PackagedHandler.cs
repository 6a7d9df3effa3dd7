using Pds.TestSupport;

namespace Pds.Functions.Tests.Package;

/// <summary>
/// The packaged handler started the way the Functions host starts it: the executable and
/// arguments from host.json, working directory = the app root, the FUNCTIONS_* variables the
/// host sets (a free port chosen by the host), and no .NET SDK on PATH (self-contained). Ready,
/// as for the host, when <c>GET /</c> gets any HTTP answer. Killed on dispose.
/// </summary>
public sealed class PackagedHandler : IAsyncDisposable
{
    private static readonly TimeSpan HostStartLimit = TimeSpan.FromSeconds(60);
    private readonly ChildProcess _process;
    private readonly string _data;

    private PackagedHandler(ChildProcess process, int port, string data)
    {
        _process = process;
        _data = data;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Http { get; }

    public string Output => _process.Output;

    public static async Task<PackagedHandler> StartAsync(FunctionAppPackage package, Uri plcUrl)
    {
        var port = OperatorCli.AdminCli.FreePort();
        var data = Path.Combine(Path.GetTempPath(), "pds-package-data-" + Guid.NewGuid().ToString("N"));
        var environment = new Dictionary<string, string?>
        {
            ["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["FUNCTIONS_HTTPWORKER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["FUNCTIONS_CUSTOMHANDLER_WORKER_ID"] = Guid.NewGuid().ToString(),
            ["FUNCTIONS_APP_ROOT_PATH"] = package.Root,
            ["PDS_DATA_DIRECTORY"] = data,
            ["PDS_DID_PLC_URL"] = plcUrl.ToString().TrimEnd('/'),
            // Self-contained: neither the dotnet muxer nor an installed runtime may be needed.
            ["PATH"] = "/usr/local/bin:/usr/bin:/bin",
            ["DOTNET_ROOT"] = null,
        };
        var process = new ChildProcess(package.Executable, package.Arguments, package.Root, environment: environment);
        var handler = new PackagedHandler(process, port, data);
        try
        {
            await handler.WaitReadyAsync();
            return handler;
        }
        catch
        {
            await handler.DisposeAsync();
            throw;
        }
    }

    /// <summary>The host's readiness probe: GET / until anything answers (a 404 would do).</summary>
    private async Task WaitReadyAsync()
    {
        var deadline = DateTime.UtcNow + HostStartLimit;
        while (true)
        {
            if (_process.HasExited)
            {
                await Task.Delay(500); // let the last output lines arrive
                throw new InvalidOperationException($"the handler exited with {_process.ExitCode} during startup:\n{Output}");
            }
            try
            {
                using var _ = await Http.GetAsync("/");
                return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
            catch (HttpRequestException e)
            {
                throw new TimeoutException($"the handler did not answer within {HostStartLimit}: {e.Message}\n{Output}");
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        Http.Dispose();
        _process.Dispose();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
        return ValueTask.CompletedTask;
    }
}
