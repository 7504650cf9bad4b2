namespace RingRift.P2P.Node.Sync;

/// <summary>Free and total bytes of the drive holding a directory.</summary>
public readonly record struct DiskSpace(long FreeBytes, long TotalBytes)
{
    /// <summary>The real probe: <see cref="DriveInfo"/> of the drive holding <paramref name="directory"/> (space available to this user).</summary>
    public static DiskSpace Of(string directory)
    {
        var drive = new DriveInfo(Path.GetFullPath(directory));
        return new DiskSpace(drive.AvailableFreeSpace, drive.TotalSize);
    }
}
