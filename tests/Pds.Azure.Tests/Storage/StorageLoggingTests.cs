using System.Diagnostics.Tracing;
using System.Text;
using Azure.Core.Diagnostics;
using Pds.Azure.Storage;
using Pds.TestSupport;

namespace Pds.Azure.Tests.Storage;

/// <summary>
/// Everything Azure.Core logs (its event source, at Verbose) while every client works against
/// Azurite, failures included: never the account key or a signature; with the default settings
/// not the pop receipt either (with content logging on, receipts are in logged bodies).
/// </summary>
public sealed class StorageLoggingTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AzureCoreLogs_NeverContainTheKeyOrSignatures(bool logContent)
    {
        var log = new StringBuilder();
        var errors = new List<string>();
        using (new AzureEventSourceListener((e, message) =>
        {
            lock (log)
            {
                log.AppendLine(message);
            }
        }, EventLevel.Verbose))
        {
            var options = new StorageClientOptions();
            options.Diagnostics.IsLoggingContentEnabled = logContent;
            var table = new TableClient(azurite.Connection, AzuriteFixture.UniqueName("log"), options);
            await table.CreateIfNotExistsAsync();
            var etag = await table.InsertAsync(new TableEntity("p", "r").Set("V", 1));
            await table.UpsertAsync(new TableEntity("p", "r").Set("V", 2));
            errors.Add((await Assert.ThrowsAsync<StorageConcurrencyException>(() => table.UpdateAsync(new TableEntity("p", "r"), etag!))).ToString());
            await table.SubmitTransactionAsync([TableTransactionAction.Insert(new TableEntity("p", "a")), TableTransactionAction.Delete("p", "r")]);
            errors.Add((await Assert.ThrowsAsync<TableTransactionFailedException>(() => table.SubmitTransactionAsync([TableTransactionAction.Insert(new TableEntity("p", "a"))]))).ToString());
            await table.GetEntityAsync("p", "a");

            var blobs = new BlobClient(azurite.Connection, AzuriteFixture.UniqueName("log-"), options);
            await blobs.CreateContainerIfNotExistsAsync();
            await blobs.UploadAsync("locks/x", new byte[] { 1 });
            var lease = await blobs.AcquireLeaseAsync("locks/x", TimeSpan.FromSeconds(15));
            errors.Add((await Assert.ThrowsAsync<StorageConflictException>(() => blobs.AcquireLeaseAsync("locks/x", TimeSpan.FromSeconds(15)))).ToString());
            await blobs.ReleaseLeaseAsync("locks/x", lease);
            await blobs.ListPageAsync("locks/");

            var queue = new QueueClient(azurite.Connection, AzuriteFixture.UniqueName("log-"), options);
            await queue.CreateIfNotExistsAsync();
            await queue.SendMessageAsync(new byte[] { 1 });
            var m = Assert.Single(await queue.ReceiveMessagesAsync());
            await queue.DeleteMessageAsync(m.MessageId, m.PopReceipt!);
            errors.Add((await Assert.ThrowsAsync<StorageNotFoundException>(() => queue.DeleteMessageAsync(m.MessageId, m.PopReceipt!))).ToString());

            var text = log.ToString();
            Assert.Contains("x-ms-version:2025-01-05", text);
            Assert.Contains("x-ms-version:2019-02-02", text);
            Assert.Contains("Authorization:REDACTED", text);
            Assert.Contains("popreceipt=REDACTED", text);
            if (!logContent)
            {
                Assert.DoesNotContain(m.PopReceipt!, text);
            }
            foreach (var secret in new[] { AccountKey, AccountKey[..20], "SharedKey devstoreaccount1:", "SharedKeyLite devstoreaccount1:" })
            {
                Assert.DoesNotContain(secret, text);
                Assert.All(errors, e => Assert.DoesNotContain(secret, e));
            }
        }
    }
}
