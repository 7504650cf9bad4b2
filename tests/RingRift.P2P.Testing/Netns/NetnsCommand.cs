using System.Diagnostics;

namespace RingRift.P2P.Testing.Netns;

/// <summary>
/// Runs the system tools the test bed drives (<c>ip</c>, <c>nft</c>, <c>tc</c>, <c>kill</c>) to their end,
/// synchronously and bounded in time: each takes milliseconds, and <see cref="IDisposable.Dispose"/> must
/// be able to use them.
/// </summary>
internal static class NetnsCommand
{
    /// <summary>How long one tool may run before it is killed and the call fails.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    /// <summary>Directories searched after <c>PATH</c>: the tools live in sbin, which a non-login shell may leave out.</summary>
    private static readonly string[] SbinFolders = ["/usr/sbin", "/sbin", "/usr/bin", "/bin"];

    /// <summary>The full path of <paramref name="tool"/> on <c>PATH</c> or in sbin; null when there is none.</summary>
    public static string? Find(string tool)
    {
        var folders = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(SbinFolders);
        return folders.Select(folder => Path.Combine(folder, tool)).FirstOrDefault(File.Exists);
    }

    /// <summary>Runs <paramref name="file"/> with <paramref name="args"/>; throws naming the command and its stderr unless it exits 0.</summary>
    public static string Run(string file, params string[] args) => RunWithInput(file, null, args);

    /// <summary>Runs <paramref name="file"/> with <paramref name="input"/> on its stdin; throws unless it exits 0. Returns stdout.</summary>
    public static string RunWithInput(string file, string? input, params string[] args)
    {
        var (code, stdout, stderr) = TryRunWithInput(file, input, args);
        if (code != 0)
        {
            throw new InvalidOperationException($"`{file} {string.Join(' ', args)}` exited {code}: {stderr.Trim()}");
        }

        return stdout;
    }

    /// <summary>Runs <paramref name="file"/> with <paramref name="args"/> and returns its exit code and output, whatever it is.</summary>
    public static (int Code, string Out, string Err) TryRun(string file, params string[] args) => TryRunWithInput(file, null, args);

    private static (int Code, string Out, string Err) TryRunWithInput(string file, string? input, string[] args)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            process.StandardInput.Write(input);
            process.StandardInput.Close();
        }

        if (!process.WaitForExit(Bound))
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw new TimeoutException($"`{file} {string.Join(' ', args)}` did not end within {Bound.TotalSeconds:0} s");
        }

        process.WaitForExit(); // the output streams are complete after the parameterless wait
        return (process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }
}
