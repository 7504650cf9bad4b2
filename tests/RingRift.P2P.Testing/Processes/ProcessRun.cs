using System.Diagnostics;

namespace RingRift.P2P.Testing.Processes;

/// <summary>Runs a program to its end with both output streams captured, bounded in time.</summary>
public static class ProcessRun
{
    /// <summary>
    /// Starts <paramref name="start"/> (its output streams are redirected here), waits for it and returns its exit code,
    /// standard output and standard error. A process still running after <paramref name="timeout"/> is killed and the
    /// wait's <see cref="OperationCanceledException"/> passes on.
    /// </summary>
    public static async Task<(int Code, string Out, string Err)> RunAsync(ProcessStartInfo start, TimeSpan timeout)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var bound = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw;
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
