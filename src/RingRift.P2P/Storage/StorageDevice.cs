namespace RingRift.P2P.Storage;

/// <summary>Names the filesystem a path lives on, for error messages and <c>/status</c>.</summary>
public static class StorageDevice
{
    /// <summary>
    /// "filesystem MOUNT (TYPE): FREE of TOTAL bytes free" for the mount holding <paramref name="path"/>
    /// (the longest mount point that is a prefix of the path); "filesystem unknown" when it cannot be read.
    /// </summary>
    public static string Describe(string path)
    {
        try
        {
            var full = System.IO.Path.GetFullPath(path);
            var drive = MountOf(full);
            return $"filesystem {drive.Name} ({drive.DriveFormat}): {drive.AvailableFreeSpace} of {drive.TotalSize} bytes free";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return $"filesystem unknown: {e.Message}";
        }
    }

    /// <summary>Bytes available to this user on the filesystem holding <paramref name="directory"/>.</summary>
    public static long FreeBytes(string directory) => new DriveInfo(System.IO.Path.GetFullPath(directory)).AvailableFreeSpace;

    /// <summary>The mounted drive whose root is the longest prefix of <paramref name="fullPath"/>.</summary>
    private static DriveInfo MountOf(string fullPath)
    {
        DriveInfo? best = null;
        foreach (var drive in DriveInfo.GetDrives())
        {
            var root = drive.Name;
            var under = fullPath == root.TrimEnd('/') || fullPath.StartsWith(root.EndsWith('/') ? root : root + "/", StringComparison.Ordinal)
                || root == "/";
            if (under && (best is null || root.Length > best.Name.Length)) best = drive;
        }
        return best ?? new DriveInfo(fullPath);
    }
}
