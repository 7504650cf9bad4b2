namespace RingRift.P2P.Bench;

/// <summary>A Linux process's open file descriptors: the entries of <c>/proc/&lt;pid&gt;/fd</c> (files, sockets, pipes).</summary>
public static class OpenFiles
{
    /// <summary>How many descriptors <paramref name="pid"/> holds now; throws when the process is gone.</summary>
    public static int Count(int pid) => Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd").Count();
}
