using System.Diagnostics;
using System.Globalization;
using RingRift.P2P.Storage;
using RingRift.P2P.Testing.Processes;

namespace RingRift.P2P.Testing.Storage;

/// <summary>
/// A size-limited tmpfs mounted on a fresh directory, to use as a node's data dir and fill up: a real
/// kernel filesystem that answers ENOSPC. <see cref="Fill"/> writes a filler file until the filesystem
/// is full and <see cref="Free"/> deletes it. Disposing unmounts and removes the directory; mounts left
/// by a test process that died are swept when the next one is made. Needs root and <c>mount</c>.
/// </summary>
public sealed class TmpfsMount : IAsyncDisposable
{
    /// <summary>
    /// The xunit trait value of tests that mount a filesystem (<c>[Trait("Category", TmpfsMount.Category)]</c>):
    /// test.sh leaves them out without root unless <c>RINGRIFT_MOUNT_TESTS=required</c> (as in CI).
    /// </summary>
    public const string Category = "Mount";

    private const string Prefix = "ringrift-mount-";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    private TmpfsMount(string path) => Path = path;

    /// <summary>The mounted directory.</summary>
    public string Path { get; }

    /// <summary>The file <see cref="Fill"/> writes.</summary>
    public string FillerPath => System.IO.Path.Combine(Path, "filler");

    /// <summary>Mounts a tmpfs of <paramref name="sizeKiB"/> KiB on a new directory under the temp folder.</summary>
    /// <exception cref="InvalidOperationException">One line: the mount failed (not root, or no mount) and why.</exception>
    public static async Task<TmpfsMount> CreateAsync(int sizeKiB)
    {
        await SweepAsync();
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(),
            string.Create(CultureInfo.InvariantCulture, $"{Prefix}{Environment.ProcessId}-{Guid.NewGuid():N}")[..(Prefix.Length + 20)]);
        Directory.CreateDirectory(path);
        var (code, _, err) = await RunAsync("mount", "-t", "tmpfs", "-o", string.Create(CultureInfo.InvariantCulture, $"size={sizeKiB}k"), "tmpfs", path);
        if (code != 0)
        {
            Directory.Delete(path);
            throw new InvalidOperationException(
                $"Mount tests cannot run: `mount -t tmpfs` failed ({err.Trim().Split('\n')[0].Trim()}); they need root and mount(8).");
        }
        return new TmpfsMount(path);
    }

    /// <summary>Writes the filler until the filesystem answers "no space left"; returns the bytes written.</summary>
    public long Fill()
    {
        long written = 0;
        using var file = new FileStream(FillerPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, 0);
        foreach (var size in new[] { 64 << 10, 4 << 10, 512 })
        {
            var chunk = new byte[size];
            while (true)
            {
                try
                {
                    file.Write(chunk);
                    written += size;
                }
                catch (IOException e) when (OutOfSpace.Is(e))
                {
                    break;
                }
            }
        }
        return written;
    }

    /// <summary>Grows (or shrinks) the mounted tmpfs to <paramref name="sizeKiB"/> KiB, files kept: space returns without deleting anything.</summary>
    public async Task ResizeAsync(int sizeKiB)
    {
        var (code, _, err) = await RunAsync("mount", "-o", string.Create(CultureInfo.InvariantCulture, $"remount,size={sizeKiB}k"), Path);
        if (code != 0) throw new InvalidOperationException($"`mount -o remount,size={sizeKiB}k {Path}` failed: {err.Trim()}");
    }

    /// <summary>Deletes the filler: the space it held returns.</summary>
    public void Free() => File.Delete(FillerPath);

    /// <summary>Free bytes on the mount now.</summary>
    public long FreeBytes => new DriveInfo(Path).AvailableFreeSpace;

    public async ValueTask DisposeAsync() => await RemoveAsync(Path);

    /// <summary>Unmounts (lazily, so a file still open elsewhere does not keep it) and removes <paramref name="path"/>.</summary>
    private static async Task RemoveAsync(string path)
    {
        await RunAsync("umount", "-l", path);
        try { Directory.Delete(path, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>Removes the mounts of test processes that are gone (their pid is in the directory name).</summary>
    private static async Task SweepAsync()
    {
        foreach (var dir in Directory.EnumerateDirectories(System.IO.Path.GetTempPath(), Prefix + "*"))
        {
            var rest = System.IO.Path.GetFileName(dir)[Prefix.Length..];
            var dash = rest.IndexOf('-', StringComparison.Ordinal);
            if (dash <= 0 || !int.TryParse(rest[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            if (pid == Environment.ProcessId || IsAlive(pid)) continue;
            await RemoveAsync(dir);
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static async Task<(int Code, string Out, string Err)> RunAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(File.Exists("/usr/bin/" + program) ? "/usr/bin/" + program : "/bin/" + program);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        try
        {
            return await ProcessRun.RunAsync(start, CommandTimeout);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (127, "", $"{program} not found: {e.Message}");
        }
    }
}
