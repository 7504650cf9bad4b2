namespace RingRift.P2P.Node.Sync;

/// <summary>
/// Canonical absolute paths with every symbolic link followed (like POSIX <c>realpath</c>, but the
/// last components may not exist), so sync can tell a link that escapes the data dir from one that stays inside.
/// </summary>
public static class RealPath
{
    /// <summary>Links followed before giving up (Linux's ELOOP limit).</summary>
    public const int MaxLinks = 40;

    /// <summary>The real path of <paramref name="path"/> (made absolute first), or null after <see cref="MaxLinks"/> links (a loop).</summary>
    public static string? Of(string path)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full)!;
        var pending = new LinkedList<string>(Split(full[root.Length..]));
        var current = root;
        var links = 0;
        while (pending.First is { } first)
        {
            pending.RemoveFirst();
            var part = first.Value;
            if (part == ".") continue;
            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? root;
                continue;
            }
            var next = Path.Join(current, part);
            var target = new FileInfo(next).LinkTarget;
            if (target is null)
            {
                current = next;
                continue;
            }
            if (++links > MaxLinks) return null;
            var absolute = Path.IsPathRooted(target) ? target : Path.Join(current, target);
            var targetRoot = Path.GetPathRoot(absolute)!;
            var parts = Split(absolute[targetRoot.Length..]);
            for (var i = parts.Length - 1; i >= 0; i--) pending.AddFirst(parts[i]);
            current = targetRoot;
        }
        return current;
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="dir"/> or inside it (both real, absolute).</summary>
    public static bool IsUnder(string path, string dir)
    {
        var d = Path.TrimEndingDirectorySeparator(dir);
        if (d.EndsWith(Path.DirectorySeparatorChar)) return path.StartsWith(d, StringComparison.Ordinal); // the file-system root
        return path == d || (path.StartsWith(d, StringComparison.Ordinal) && path.Length > d.Length && path[d.Length] == Path.DirectorySeparatorChar);
    }

    private static string[] Split(string relative) =>
        relative.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
}
