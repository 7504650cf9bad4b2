using RingRift.P2P.Storage;
using Xunit;

namespace RingRift.P2P.Tests.Storage;

/// <summary>Which failures count as "the filesystem is full", wherever they sit in an exception's chain.</summary>
public sealed class OutOfSpaceTests
{
    [Theory]
    [InlineData(28)] // ENOSPC, as .NET reports it on Linux (HResult = errno)
    [InlineData(122)] // EDQUOT
    [InlineData(unchecked((int)0x80070070))] // Windows ERROR_DISK_FULL
    public void IOException_WithADiskFullCode_IsOutOfSpace(int hresult) =>
        Assert.True(OutOfSpace.Is(new IOException("write failed", hresult)));

    [Theory]
    [InlineData(5)] // EIO
    [InlineData(13)] // EACCES
    [InlineData(0)]
    public void IOException_WithAnotherCode_IsNot(int hresult) =>
        Assert.False(OutOfSpace.Is(new IOException("write failed", hresult)));

    [Fact]
    public void TheCause_IsFound_InsideWrappersAndAggregates()
    {
        var enospc = new IOException("No space left on device", OutOfSpace.Enospc);
        var wrapped = new InvalidOperationException("the write transaction was abandoned", new AggregateException(new TimeoutException(), enospc));

        Assert.Same(enospc, OutOfSpace.Find(wrapped));
        Assert.Null(OutOfSpace.Find(new InvalidOperationException("x", new TimeoutException())));
        Assert.Null(OutOfSpace.Find(null));
    }

    [Fact]
    public void ARealWriteToDevFull_IsOutOfSpace()
    {
        // /dev/full answers every write with ENOSPC: the real error .NET raises, not a hand-made one.
        var error = Assert.ThrowsAny<IOException>(() =>
        {
            using var file = new FileStream("/dev/full", FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 0);
            file.Write(new byte[4096]);
        });
        Assert.True(OutOfSpace.Is(error), $"{error.GetType().Name} HResult {error.HResult}: {error.Message}");
    }

    [Fact]
    public void StorageFullException_For_NamesThePathAndTheFilesystem_AndCountsAsOutOfSpace()
    {
        var cause = new IOException("No space left on device", OutOfSpace.Enospc);
        var full = StorageFullException.For("/tmp/some/work_queue.db", cause);

        Assert.Equal("/tmp/some/work_queue.db", full.Path);
        Assert.StartsWith("no space left on device for /tmp/some/work_queue.db (filesystem ", full.Message);
        Assert.Contains("bytes free", full.Message);
        Assert.Same(cause, full.InnerException);
        Assert.True(OutOfSpace.Is(full));
        Assert.Same(full, StorageFullException.For("/elsewhere", full));
    }
}
