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

    private PackagedHandler(ChildProcess process, string port, string data)
    {
        _process = process;
        _data = data;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Http { get; }

    public string Output => _process.Output;

    /// <param name="settings">More app settings (NAME=value), as the Function App's configuration would add.</param>
    public static async Task<PackagedHandler> StartAsync(FunctionAppPackage package, Uri plcUrl, IEnumerable<string>? settings = null)
    {
        var port = OperatorCli.AdminCli.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var data = Path.Combine(Path.GetTempPath(), "pds-package-data-" + Guid.NewGuid().ToString("N"));
        // env -i then exec: the handler is this very process, with only the variables the host
        // would add (plus a PATH without the .NET SDK and a HOME), so nothing of the test host's
        // environment (DOTNET_ROOT, MSBuild settings) can make it work where Azure would not.
        var env = RepoPaths.FindExecutable("env") ?? throw new InvalidOperationException("env is not on PATH");
        string[] arguments =
        [
            "-i",
            "PATH=/usr/local/bin:/usr/bin:/bin",
            "HOME=" + data,
            "FUNCTIONS_CUSTOMHANDLER_PORT=" + port,
            "FUNCTIONS_HTTPWORKER_PORT=" + port,
            "FUNCTIONS_CUSTOMHANDLER_WORKER_ID=" + Guid.NewGuid(),
            "FUNCTIONS_APP_ROOT_PATH=" + package.Root,
            "PDS_DATA_DIRECTORY=" + data,
            "PDS_DID_PLC_URL=" + plcUrl.ToString().TrimEnd('/'),
            .. settings ?? [],
            package.Executable,
            .. package.Arguments,
        ];
        var process = new ChildProcess(env, arguments, package.Root);
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
                throw new InvalidOperationException($"the handler exited during startup:\n{Output}");
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
