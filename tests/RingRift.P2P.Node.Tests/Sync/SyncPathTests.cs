using RingRift.P2P.Node.Sync;

namespace RingRift.P2P.Node.Tests.Sync;

/// <summary>Which sync paths are accepted, and that symbolic links may not lead out of the data dir.</summary>
public sealed class SyncPathTests
{
    [Theory]
    [InlineData("games/hex8_2p/a.jsonl")]
    [InlineData("models/hex8_2p/model-3.bin")]
    [InlineData("games/x")]
    public void ValidateFile_AcceptsFilesUnderTheSyncedRoots(string path) =>
        Assert.Equal(path, SyncPath.ValidateFile(path));

    [Theory]
    [InlineData("../etc/passwd", "'.' and '..'")]
    [InlineData("games/../../etc/passwd", "'.' and '..'")]
    [InlineData("games/./a", "'.' and '..'")]
    [InlineData("/etc/passwd", "relative")]
    [InlineData("C:/Windows/win.ini", "relative")]
    [InlineData("games\\..\\secret", "backslash")]
    [InlineData("games//a", "empty path segment")]
    [InlineData("raft/log.db", "only games/, models/")]
    [InlineData("work_queue.db", "only games/, models/")]
    [InlineData("games", "root and a file name")]
    [InlineData("games/.hidden", "dot files")]
    [InlineData("games/a.jsonl.partial", "partial")]
    [InlineData("games/a\0b", "control characters")]
    [InlineData("", "empty")]
    public void ValidateFile_RefusesTraversalAndEverythingOutsideTheRoots_NamingThePath(string path, string reason)
    {
        var ex = Assert.Throws<PathRefusedException>(() => SyncPath.ValidateFile(path));
        Assert.Contains(reason, ex.Message);
        if (path.Length > 0) Assert.Contains(path, ex.Message);
    }

    [Theory]
    [InlineData("games", "games")]
    [InlineData("games/hex8_2p", "games/hex8_2p")]
    [InlineData("games/hex8_2p/", "games/hex8_2p")]
    public void ValidatePrefix_NormalisesTheTrailingSlash(string prefix, string expected) =>
        Assert.Equal(expected, SyncPath.ValidatePrefix(prefix));

    [Theory]
    [InlineData("games/hex8_2p/a", "games/hex8_2p", true)]
    [InlineData("games/hex8_2p", "games/hex8_2p", true)]
    [InlineData("games/hex8_2pX/a", "games/hex8_2p", false)]
    [InlineData("games/hex8", "games/hex8_2p", false)]
    public void IsUnderPrefix_MatchesWholeSegments(string path, string prefix, bool expected) =>
        Assert.Equal(expected, SyncPath.IsUnderPrefix(path, prefix));

    [Fact]
    public void Resolve_RefusesASymlinkThatLeadsOutOfTheDataDir_AndFollowsOneThatStaysInside()
    {
        using var data = new TempDir();
        using var outside = new TempDir("outside");
        outside.Write("secret.txt", "secret"u8.ToArray());
        data.Write("models/real/m.bin", [1, 2, 3]);
        Directory.CreateDirectory(data.Full("games"));
        Directory.CreateSymbolicLink(data.Full("games/evil"), outside.Path);
        File.CreateSymbolicLink(data.Full("games/leak.txt"), outside.Full("secret.txt"));
        File.CreateSymbolicLink(data.Full("games/relative.txt"), "../../" + Path.GetFileName(outside.Path) + "/secret.txt");
        Directory.CreateSymbolicLink(data.Full("games/inside"), data.Full("games"));
        var real = RealPath.Of(data.Path)!;

        foreach (var path in new[] { "games/evil/secret.txt", "games/leak.txt", "games/relative.txt" })
        {
            var ex = Assert.Throws<PathRefusedException>(() => SyncPath.Resolve(real, path));
            Assert.Contains("symbolic link", ex.Message);
            Assert.Contains(path, ex.Message);
        }
        Assert.Equal(Path.Join(real, "games", "x.txt"), SyncPath.Resolve(real, "games/inside/x.txt"));
    }

    [Fact]
    public void Resolve_RefusesARootThatIsItselfALinkOutOfTheDataDir()
    {
        using var data = new TempDir();
        using var outside = new TempDir("outside");
        outside.Write("a.bin", [1]);
        Directory.CreateSymbolicLink(data.Full("models"), outside.Path);

        var ex = Assert.Throws<PathRefusedException>(() => SyncPath.Resolve(RealPath.Of(data.Path)!, "models/a.bin"));
        Assert.Contains("outside the data dir", ex.Message);
    }

    [Fact]
    public void RealPath_GivesUpOnALinkLoop()
    {
        using var data = new TempDir();
        File.CreateSymbolicLink(data.Full("a"), data.Full("b"));
        File.CreateSymbolicLink(data.Full("b"), data.Full("a"));
        Assert.Null(RealPath.Of(data.Full("a")));
    }
}
