namespace RingRift.P2P.Raft.Tests;

/// <summary>
/// Snapshots are written and read as streams (no whole in-memory copy): the asynchronous writer gives the same
/// bytes as the synchronous one, and a snapshot reads back the same from a file, from a stream that cannot seek
/// and from a seekable stream that does not start at its beginning.
/// </summary>
public sealed class SnapshotStreamingTests
{
    private static WorkQueueStateMachine Driven()
    {
        var machine = new WorkQueueStateMachine(500);
        var commands = new RandomCommands(11);
        for (long index = 1; index <= 2_000; index++)
        {
            foreach (var result in machine.ApplyBatch([commands.Next()], index, term: 1))
                commands.Saw(result);
        }
        return machine;
    }

    private static byte[] WriteSync(WorkQueueStateMachine machine)
    {
        using var stream = new MemoryStream();
        machine.WriteSnapshot(stream);
        return stream.ToArray();
    }

    [Fact]
    public async Task AsyncWrite_GivesTheSameBytesAsTheSynchronousOne()
    {
        var machine = Driven();
        using var stream = new MemoryStream();
        await machine.CaptureSnapshot().WriteToAsync(stream, CancellationToken.None);
        Assert.Equal(WriteSync(machine), stream.ToArray());
    }

    [Fact]
    public void FromAFile_FromANonSeekableStream_AndFromTheMiddleOfAStream_ReadsTheSameState()
    {
        var bytes = WriteSync(Driven());
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, bytes);
            using (var file = File.OpenRead(path))
                Assert.Equal(bytes, WriteSync(WorkQueueStateMachine.ReadSnapshot(file)));
        }
        finally
        {
            File.Delete(path);
        }

        using (var forwardOnly = new ForwardOnlyStream(bytes))
            Assert.Equal(bytes, WriteSync(WorkQueueStateMachine.ReadSnapshot(forwardOnly)));

        using var framed = new MemoryStream([.. "xyz"u8, .. bytes]) { Position = 3 };
        Assert.Equal(bytes, WriteSync(WorkQueueStateMachine.ReadSnapshot(framed)));
    }

    [Fact]
    public void ATruncatedSnapshotFile_IsRefusedNamingTheProblem()
    {
        var bytes = WriteSync(Driven());
        using var truncated = new MemoryStream(bytes[..(bytes.Length / 2)]);
        var error = Assert.Throws<InvalidDataException>(() => WorkQueueStateMachine.ReadSnapshot(truncated));
        Assert.Contains("snapshot is corrupt", error.Message);
    }

    /// <summary>A read-only stream that cannot seek, as a network or pipe stream.</summary>
    private sealed class ForwardOnlyStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes);
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
