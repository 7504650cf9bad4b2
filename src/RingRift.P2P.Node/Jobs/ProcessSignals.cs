using System.Runtime.InteropServices;

namespace RingRift.P2P.Node.Jobs;

/// <summary>POSIX signals sent to a job's process group (libc <c>kill(-pgid, sig)</c>).</summary>
internal static class ProcessSignals
{
    public const int SigKill = 9;
    public const int SigTerm = 15;
    private const int NoSuchProcess = 3; // ESRCH

    /// <summary>
    /// Signals the whole group led by <paramref name="pid"/> when <paramref name="group"/> (the job was
    /// started under setsid), else the process alone. False when nothing was there to signal.
    /// </summary>
    public static bool Send(int pid, bool group, int signal)
    {
        if (pid <= 1) throw new ArgumentOutOfRangeException(nameof(pid), pid, "pid must be greater than 1 (never signal init or every process)");
        if (OperatingSystem.IsWindows()) return false;
        if (Kill(group ? -pid : pid, signal) == 0) return true;
        var errno = Marshal.GetLastPInvokeError();
        return errno == NoSuchProcess ? false : throw new InvalidOperationException($"kill({(group ? -pid : pid)}, {signal}) failed with errno {errno}");
    }

    // LibraryImport would need <AllowUnsafeBlocks> in the project (SYSLIB1062); this signature is
    // blittable, so the classic DllImport marshals it without generated stubs, as ChildNode does.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
