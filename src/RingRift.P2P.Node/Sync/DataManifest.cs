using System.Collections.Concurrent;
using RingRift.P2P.Jobs;

namespace RingRift.P2P.Node.Sync;

/// <summary>
/// The list of synced files under a data dir (<see cref="DataLayout.SyncedRoots"/>) with their sha256.
/// Hashes are cached by (path, size, mtime), so a rescan hashes only new or changed files. Scans walk the
/// tree without following symbolic links, skip dot files and <c>.partial</c> downloads, leave out files
/// that change while being hashed, and run on the thread pool one at a time.
/// </summary>
public sealed class DataManifest
{
    private readonly record struct Stamp(long Size, long MtimeTicks, string Sha256);

    private readonly ConcurrentDictionary<string, Stamp> _hashes = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _scanGate = new(1, 1);
    private long _filesHashed;
    private long _bytesHashed;

    /// <param name="dataDir">The node's data dir; created when missing.</param>
    public DataManifest(string dataDir)
    {
        if (string.IsNullOrWhiteSpace(dataDir)) throw new ArgumentException("dataDir is required", nameof(dataDir));
        Directory.CreateDirectory(dataDir);
        DataDirReal = RealPath.Of(dataDir) ?? throw new ArgumentException($"dataDir '{dataDir}' has a symbolic link loop", nameof(dataDir));
    }

    /// <summary>The data dir with every symbolic link resolved.</summary>
    public string DataDirReal { get; }

    /// <summary>Files hashed so far (cache misses), for tests and status.</summary>
    public long FilesHashed => Interlocked.Read(ref _filesHashed);

    /// <summary>Bytes hashed so far.</summary>
    public long BytesHashed => Interlocked.Read(ref _bytesHashed);

    /// <summary>The absolute path of a data-dir relative path (lexical; see <see cref="SyncPath.Resolve"/> for the checked form).</summary>
    public string FullPath(string relativePath) => Path.Join(DataDirReal, relativePath.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>Scans (all roots, or only files under <paramref name="prefix"/>) and returns the entries sorted by path.</summary>
    public Task<IReadOnlyList<ManifestEntry>> ScanAsync(string? prefix = null, CancellationToken ct = default)
    {
        var normalized = prefix is null ? null : SyncPath.ValidatePrefix(prefix);
        return Task.Run(() => ScanLockedAsync(normalized, ct), ct);
    }

    /// <summary>The cached sha256 of <paramref name="relativePath"/> when its size and mtime still match, else null (no hashing).</summary>
    public string? KnownHash(string relativePath, long size, DateTime lastWriteUtc) =>
        _hashes.TryGetValue(relativePath, out var stamp) && stamp.Size == size && stamp.MtimeTicks == lastWriteUtc.Ticks ? stamp.Sha256 : null;

    /// <summary>
    /// The sha256 of the local file at <paramref name="relativePath"/> (from the cache, else hashed now on the
    /// thread pool), or null when there is no regular file there (missing, a directory or a symbolic link).
    /// </summary>
    public async Task<string?> LocalHashAsync(string relativePath, CancellationToken ct)
    {
        var info = new FileInfo(FullPath(relativePath));
        if (!info.Exists || info.LinkTarget is not null) return null;
        return KnownHash(relativePath, info.Length, info.LastWriteTimeUtc)
            ?? await Task.Run(() => HashAndRememberAsync(relativePath, info, ct), ct);
    }

    /// <summary>Records the hash of a file this node just wrote and verified (a finished pull), so it is never rehashed.</summary>
    public void Remember(string relativePath, long size, DateTime lastWriteUtc, string sha256) =>
        _hashes[relativePath] = new Stamp(size, lastWriteUtc.Ticks, sha256.ToLowerInvariant());

    private async Task<IReadOnlyList<ManifestEntry>> ScanLockedAsync(string? prefix, CancellationToken ct)
    {
        await _scanGate.WaitAsync(ct);
        try
        {
            var entries = new List<ManifestEntry>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (start, startRelative) in StartDirectories(prefix))
            {
                foreach (var (relative, info) in Walk(start, startRelative))
                {
                    if (prefix is not null && !SyncPath.IsUnderPrefix(relative, prefix)) continue;
                    seen.Add(relative);
                    var sha = KnownHash(relative, info.Length, info.LastWriteTimeUtc) ?? await HashAndRememberAsync(relative, info, ct);
                    if (sha is null) continue;
                    entries.Add(new ManifestEntry(relative, info.Length, sha, new DateTimeOffset(info.LastWriteTimeUtc).ToUnixTimeSeconds()));
                }
            }
            foreach (var path in _hashes.Keys)
                if ((prefix is null || SyncPath.IsUnderPrefix(path, prefix)) && !seen.Contains(path)) _hashes.TryRemove(path, out _);
            entries.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
            return entries;
        }
        finally
        {
            _scanGate.Release();
        }
    }

    /// <summary>Hashes a file; null when it changed (size or mtime) while being hashed or vanished — it is still being written.</summary>
    private async Task<string?> HashAndRememberAsync(string relative, FileInfo info, CancellationToken ct)
    {
        string sha;
        try
        {
            sha = await FileHasher.Sha256Async(info.FullName, ct);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            return null;
        }
        var after = new FileInfo(info.FullName);
        if (!after.Exists || after.Length != info.Length || after.LastWriteTimeUtc != info.LastWriteTimeUtc) return null;
        Interlocked.Increment(ref _filesHashed);
        Interlocked.Add(ref _bytesHashed, info.Length);
        Remember(relative, info.Length, info.LastWriteTimeUtc, sha);
        return sha;
    }

    /// <summary>
    /// Where to start walking: the prefix's deepest existing directory when no symbolic link leads to it, else the roots.
    /// </summary>
    private IEnumerable<(DirectoryInfo Dir, string Relative)> StartDirectories(string? prefix)
    {
        foreach (var root in DataLayout.SyncedRoots)
        {
            if (prefix is not null && !SyncPath.IsUnderPrefix(prefix, root)) continue;
            var relative = root;
            if (prefix is not null && prefix != root)
            {
                var parent = prefix[..prefix.LastIndexOf('/')];
                relative = Directory.Exists(FullPath(prefix)) ? prefix : Directory.Exists(FullPath(parent)) ? parent : root;
            }
            var full = FullPath(relative);
            if (!Directory.Exists(full) || RealPath.Of(full) != full) continue; // a linked root or prefix is not walked
            yield return (new DirectoryInfo(full), relative);
        }
    }

    /// <summary>Regular files below <paramref name="dir"/>, depth first, never entering or listing symbolic links.</summary>
    private static IEnumerable<(string Relative, FileInfo Info)> Walk(DirectoryInfo dir, string relative)
    {
        var stack = new Stack<(DirectoryInfo Dir, string Relative)>();
        stack.Push((dir, relative));
        while (stack.TryPop(out var current))
        {
            IEnumerable<FileSystemInfo> children;
            try
            {
                children = current.Dir.EnumerateFileSystemInfos().ToList();
            }
            catch (Exception ex) when (ex is DirectoryNotFoundException or UnauthorizedAccessException or IOException)
            {
                continue;
            }
            foreach (var child in children)
            {
                if (SyncPath.IsSkippedName(child.Name) || !IsPlainName(child.Name) || child.LinkTarget is not null) continue;
                var childRelative = current.Relative + "/" + child.Name;
                if (child is DirectoryInfo sub) stack.Push((sub, childRelative));
                else if (child is FileInfo file) yield return (childRelative, file);
            }
        }
    }

    /// <summary>Names the path rules accept (no backslash, colon or control characters), so every listed path can be fetched.</summary>
    private static bool IsPlainName(string name) => !name.Contains('\\') && !name.Contains(':') && !name.Any(char.IsControl);
}
