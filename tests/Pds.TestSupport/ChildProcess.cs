using System.Diagnostics;
using System.Text;

namespace Pds.TestSupport;

/// <summary>
/// A process a fixture started: output collected for failure messages, and ended (the whole
/// tree) on dispose. Standard input stays open so a child that watches it notices our exit.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<string> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Func<string, string?>? _readyLine;
    private readonly bool _stopsOnStdinClose;

    /// <param name="readyLine">Maps an output line to the ready value, or null while not ready.</param>
    /// <param name="stopsOnStdinClose">The child exits by itself when its input closes; otherwise it is killed at once.</param>
    public ChildProcess(
        string fileName, IEnumerable<string> arguments, string workingDirectory,
        Func<string, string?>? readyLine = null, bool stopsOnStdinClose = false)
    {
        _readyLine = readyLine;
        _stopsOnStdinClose = stopsOnStdinClose;
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }
        _process = new Process { StartInfo = info, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        _process.Exited += (_, _) => _ready.TrySetException(new InvalidOperationException(
            $"{Path.GetFileName(fileName)} exited early:\n{Output}"));
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The value the ready-line matcher extracted, once it matched.</summary>
    public async Task<string> WaitReadyAsync(TimeSpan timeout)
    {
        try
        {
            return await _ready.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{_process.StartInfo.FileName} was not ready within {timeout}:\n{Output}");
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.Close();
                if (!_stopsOnStdinClose || !_process.WaitForExit(3000))
                {
                    _process.Kill(entireProcessTree: true);
                    _process.WaitForExit(5000);
                }
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
        if (_readyLine?.Invoke(line) is { } value)
        {
            _ready.TrySetResult(value);
        }
    }
}
