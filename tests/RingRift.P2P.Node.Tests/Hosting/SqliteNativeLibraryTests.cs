using RingRift.P2P.Node.Hosting;

namespace RingRift.P2P.Node.Tests.Hosting;

/// <summary>
/// How the native executable writes out the SQLite library it carries (the release tests load it from there): once per
/// content, whole or not at all, and with an error that says what to do when it cannot.
/// </summary>
public sealed class SqliteNativeLibraryTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rr-sqlite-native-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Extract_WritesTheLibraryUnderAFolderNamedByItsContent_AndReusesIt()
    {
        var first = SqliteNativeLibrary.Extract(Library([1, 2, 3]), _root);
        var written = File.GetLastWriteTimeUtc(first);
        var again = SqliteNativeLibrary.Extract(Library([1, 2, 3]), _root);
        var other = SqliteNativeLibrary.Extract(Library([1, 2, 4]), _root);

        Assert.Equal(first, again);
        Assert.Equal(written, File.GetLastWriteTimeUtc(again));
        Assert.NotEqual(Path.GetDirectoryName(first), Path.GetDirectoryName(other));
        Assert.Equal([1, 2, 3], File.ReadAllBytes(first));
        Assert.Equal("libe_sqlite3.so", Path.GetFileName(first));
        Assert.StartsWith(Path.Combine(_root, "ringrift-p2p"), first);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(first)!, "*.tmp"));
    }

    [Fact]
    public void Extract_ReplacesATruncatedCopy()
    {
        var path = SqliteNativeLibrary.Extract(Library([1, 2, 3, 4]), _root);
        File.WriteAllBytes(path, [1, 2]);

        Assert.Equal(path, SqliteNativeLibrary.Extract(Library([1, 2, 3, 4]), _root));
        Assert.Equal([1, 2, 3, 4], File.ReadAllBytes(path));
    }

    [Fact]
    public void Extract_ToAFolderItCannotWrite_SaysWhereAndWhichVariableToSet()
    {
        var file = Path.Combine(_root, "a-file");
        File.WriteAllText(file, "not a folder");

        var error = Assert.Throws<InvalidOperationException>(() => SqliteNativeLibrary.Extract(Library([1]), file));

        Assert.Contains(file, error.Message);
        Assert.Contains("DOTNET_BUNDLE_EXTRACT_BASE_DIR", error.Message);
    }

    private static MemoryStream Library(byte[] bytes) => new(bytes);
}
