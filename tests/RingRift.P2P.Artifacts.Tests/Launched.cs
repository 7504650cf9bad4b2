using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace RingRift.P2P.Artifacts.Tests;

/// <summary>
/// A program this test started, its stdout and stderr collected line by line. Dispose kills it with its
/// whole process tree (also when the test failed); <see cref="SignalAsync"/> stands for Ctrl-C or a
/// service stop.
/// </summary>
public sealed class Launched : IDisposable
{
    public const int SigInt = 2;
    public const int SigTerm = 15;

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private Launched(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Everything it printed so far, stdout and stderr interleaved as they came.</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>The last <paramref name="lines"/> lines it printed, for a failure message.</summary>
    public string Tail(int lines = 40) => $"--- {Name} (last {lines} lines) ---\n" + string.Join('\n', Output.Split('\n').TakeLast(lines));

    /// <summary>
    /// Starts <paramref name="file"/> with <paramref name="arguments"/> in <paramref name="workingDirectory"/>.
    /// <paramref name="environment"/> is added to this process's environment, except that every inherited
    /// RINGRIFT_ variable is blanked first (the node reads an empty one as unset): only what the test gives counts.
    /// </summary>
    public static Launched Start(string name, string file, IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        // Through env(1) with SIGINT back at its default: a test host started in the background by a
        // non-interactive shell (`cmd &`) inherits SIGINT ignored and passes that on, and the runtime keeps an
        // ignored SIGINT ignored, as a program should; Ctrl-C at a terminal reaches a program whose SIGINT is not.
        var info = new ProcessStartInfo("/usr/bin/env")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("--default-signal=INT");
        info.ArgumentList.Add(file);
        foreach (var a in arguments) info.ArgumentList.Add(a);
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("RINGRIFT_", StringComparison.Ordinal)).ToList()) info.Environment[key] = "";
        info.Environment["DOTNET_NOLOGO"] = "1";
        if (environment is not null)
            foreach (var (k, v) in environment) info.Environment[k] = v;
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var launched = new Launched(process, name);
        process.OutputDataReceived += (_, e) => launched.Append(e.Data);
        process.ErrorDataReceived += (_, e) => launched.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return launched;
    }

    /// <summary>Runs a program to its end (at most <paramref name="within"/>) and returns its exit code and output.</summary>
    public static async Task<(int Code, string Output)> RunAsync(string file, IEnumerable<string> arguments, string workingDirectory,
        TimeSpan within, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var launched = Start(Path.GetFileName(file), file, arguments, workingDirectory, environment);
        using var timeout = new CancellationTokenSource(within);
        try
        {
            await launched._process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not end within {within.TotalSeconds:0} s\n{launched.Tail()}");
        }
        return (launched.ExitCode, launched.Output);
    }

    /// <summary>Sends <paramref name="signal"/> and waits up to <paramref name="within"/> for the exit; false if it is still running.</summary>
    public async Task<bool> SignalAsync(int signal, TimeSpan within)
    {
        if (_process.HasExited) return true;
        _ = Kill(_process.Id, signal);
        using var timeout = new CancellationTokenSource(within);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException) { } // never started or already reaped
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.Append(line).Append('\n');
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
