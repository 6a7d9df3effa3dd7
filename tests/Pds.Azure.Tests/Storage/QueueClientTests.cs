using System.Text;
using Pds.Azure.Storage;
using Pds.TestSupport;

namespace Pds.Azure.Tests.Storage;

public sealed class QueueClientTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private async Task<QueueClient> NewQueueAsync()
    {
        var queue = new QueueClient(azurite.Connection, AzuriteFixture.UniqueName("q-"));
        Assert.True(await queue.CreateIfNotExistsAsync());
        return queue;
    }

    [Fact]
    public async Task Create_SecondCall_ReturnsFalse()
    {
        var queue = await NewQueueAsync();
        Assert.False(await queue.CreateIfNotExistsAsync());
    }

    [Fact]
    public async Task SendReceiveDelete_RoundTrip_WithVisibilityTimeout()
    {
        var queue = await NewQueueAsync();
        var payload = Encoding.UTF8.GetBytes("{\"seq\":1234,\"did\":\"did:plc:abc\"}");

        var sent = await queue.SendMessageAsync(payload);
        Assert.True(sent.ExpirationTime > DateTimeOffset.UtcNow.AddYears(100), "messagettl=-1 never expires");

        var first = Assert.Single(await queue.ReceiveMessagesAsync(visibilityTimeout: TimeSpan.FromSeconds(1)));
        Assert.Equal(sent.MessageId, first.MessageId);
        Assert.Equal(payload, first.Body);
        Assert.Equal(Convert.ToBase64String(payload), first.MessageText);
        Assert.Equal(1, first.DequeueCount);
        Assert.NotNull(first.PopReceipt);

        // Hidden while the visibility timeout runs, back afterwards with a new receipt.
        Assert.Empty(await queue.ReceiveMessagesAsync());
        Assert.Empty(await queue.PeekMessagesAsync());
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var second = Assert.Single(await queue.ReceiveMessagesAsync(visibilityTimeout: TimeSpan.FromSeconds(30)));
        Assert.Equal(2, second.DequeueCount);
        Assert.NotEqual(first.PopReceipt, second.PopReceipt);

        var stale = await Assert.ThrowsAsync<StorageRequestException>(() => queue.DeleteMessageAsync(first.MessageId, first.PopReceipt!));
        Assert.Equal(400, stale.Status);
        Assert.Equal("PopReceiptMismatch", stale.ErrorCode);

        await queue.DeleteMessageAsync(second.MessageId, second.PopReceipt!);
        Assert.Empty(await queue.PeekMessagesAsync());
        await Assert.ThrowsAsync<StorageNotFoundException>(() => queue.DeleteMessageAsync(second.MessageId, second.PopReceipt!));
    }

    [Fact]
    public async Task Peek_LeavesMessagesVisible_WithoutReceipt()
    {
        var queue = await NewQueueAsync();
        for (var i = 0; i < 3; i++)
        {
            await queue.SendMessageAsync(new[] { (byte)i });
        }

        var peeked = await queue.PeekMessagesAsync(32);
        Assert.Equal(3, peeked.Count);
        Assert.All(peeked, m => Assert.Null(m.PopReceipt));
        Assert.All(peeked, m => Assert.Equal(0, m.DequeueCount));

        var received = await queue.ReceiveMessagesAsync(32);
        Assert.Equal(3, received.Count);
        Assert.Equal(new byte[] { 0, 1, 2 }, received.Select(m => m.Body![0]).Order().ToArray());
    }

    [Fact]
    public async Task Send_InitialVisibilityDelay_HidesTheMessage()
    {
        var queue = await NewQueueAsync();
        await queue.SendMessageAsync(new byte[] { 1 }, initialVisibilityDelay: TimeSpan.FromSeconds(60), timeToLive: TimeSpan.FromHours(1));
        Assert.Empty(await queue.PeekMessagesAsync());
        Assert.Empty(await queue.ReceiveMessagesAsync());
    }

    [Fact]
    public async Task Send_Over48KiB_RejectedBeforeSending_AtLimitAccepted()
    {
        var queue = await NewQueueAsync();
        var max = new byte[QueueClient.MaxPayloadBytes];
        new Random(5).NextBytes(max);
        await queue.SendMessageAsync(max);
        Assert.Equal(max, Assert.Single(await queue.ReceiveMessagesAsync()).Body);

        queue.Requests.Reset();
        await Assert.ThrowsAsync<ArgumentException>(() => queue.SendMessageAsync(new byte[QueueClient.MaxPayloadBytes + 1]));
        Assert.Equal(0, queue.Requests.Count);
    }

    [Fact]
    public async Task MissingQueue_ThrowsNotFound()
    {
        var queue = new QueueClient(azurite.Connection, AzuriteFixture.UniqueName("never-"));
        var e = await Assert.ThrowsAsync<StorageNotFoundException>(() => queue.SendMessageAsync(new byte[] { 1 }));
        Assert.Equal("QueueNotFound", e.ErrorCode);
    }
}
