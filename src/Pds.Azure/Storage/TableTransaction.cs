namespace Pds.Azure.Storage;

public enum TableTransactionActionType
{
    /// <summary>POST: fails the whole batch if the entity exists.</summary>
    Insert,

    /// <summary>PUT without If-Match (insert-or-replace).</summary>
    UpsertReplace,

    /// <summary>MERGE without If-Match (insert-or-merge).</summary>
    UpsertMerge,

    /// <summary>PUT with If-Match.</summary>
    UpdateReplace,

    /// <summary>MERGE with If-Match.</summary>
    UpdateMerge,

    /// <summary>DELETE with If-Match.</summary>
    Delete,
}

/// <summary>
/// One action of an entity group transaction. For updates and deletes If-Match is
/// <paramref name="IfMatch"/>, else the entity's ETag, else "*" (unconditional).
/// </summary>
public sealed record TableTransactionAction(TableTransactionActionType Type, TableEntity Entity, string? IfMatch = null)
{
    public static TableTransactionAction Insert(TableEntity entity) => new(TableTransactionActionType.Insert, entity);

    public static TableTransactionAction Upsert(TableEntity entity, TableUpdateMode mode = TableUpdateMode.Replace) =>
        new(mode == TableUpdateMode.Replace ? TableTransactionActionType.UpsertReplace : TableTransactionActionType.UpsertMerge, entity);

    public static TableTransactionAction Update(TableEntity entity, string? ifMatch = null, TableUpdateMode mode = TableUpdateMode.Replace) =>
        new(mode == TableUpdateMode.Replace ? TableTransactionActionType.UpdateReplace : TableTransactionActionType.UpdateMerge, entity, ifMatch);

    public static TableTransactionAction Delete(string partitionKey, string rowKey, string ifMatch = "*") =>
        new(TableTransactionActionType.Delete, new TableEntity(partitionKey, rowKey), ifMatch);

    internal string? EffectiveIfMatch => Type is TableTransactionActionType.UpdateReplace or TableTransactionActionType.UpdateMerge or TableTransactionActionType.Delete
        ? IfMatch ?? Entity.ETag ?? "*"
        : null;
}

/// <summary>The outcome of one action of a committed transaction, in request order.</summary>
public sealed record TableTransactionResult(int Status, string? ETag);
