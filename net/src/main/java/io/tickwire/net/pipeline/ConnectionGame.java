package io.tickwire.net.pipeline;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.local.SynchronizationStrategy;
import io.tickwire.api.GameType;
import io.tickwire.api.schema.MessageType;
import io.tickwire.codec.ClientMessageError;
import io.tickwire.codec.ClientMessageFlyweight;
import io.tickwire.codec.InputCodec;
import io.tickwire.codec.MessageCodec;
import io.tickwire.codec.Sequence;
import io.tickwire.sim.InputValues;

import java.time.Duration;

/**
 * What one connection's messages are checked against once it has joined: its event loop's input and message codecs
 * of its game type (one per thread and type, shared by the loop's connections of the type, so an input touches no
 * codec of its own), a budget per client message type (the type's rate and burst), and the client message sequence,
 * which must go 1, 2, 3 ... with no gap or repeat. On a resumed connection the client's sequence goes on from before
 * the drop, so the first message may have any sequence (the room drops those it has and refuses a gap), and the rest
 * follow it one by one. Made at the join; owned by the connection's event loop.
 */
final class ConnectionGame
{
    private final GameType type;
    private final InputCodec inputCodec;
    private final int inputFieldCount;
    private final MessageCodec messageCodec;
    private final Bucket[] budgetByType = new Bucket[MessageType.MAX_ID + 1];
    private int lastMessageSeq = Sequence.NONE;
    private boolean anyFirstSeq;

    /**
     * @param resumed whether the connection resumes a seat: its first message may have any sequence.
     * @param codecs  the codecs of the connection's event loop, the thread this is used on.
     */
    ConnectionGame(final GameType type, final boolean resumed, final InboundCodec codecs)
    {
        this.anyFirstSeq = resumed;
        this.type = type;
        this.inputCodec = codecs.inputCodec(type);
        this.inputFieldCount = type.inputSchema().fieldCount();
        this.messageCodec = codecs.messageCodec(type);
    }

    GameType type()
    {
        return type;
    }

    MessageCodec messageCodec()
    {
        return messageCodec;
    }

    /**
     * Decodes and range-checks an input's values into {@code values}.
     */
    ClientMessageError decodeInput(final ClientMessageFlyweight message, final InputValues values)
    {
        values.count = inputFieldCount;
        return inputCodec.decode(message.buffer(), message.offset(), message.length(), values.values);
    }

    /**
     * Checks a client message: its schema, its sequence (the previous + 1), and its type's budget. Spends the
     * budget only for a well-formed message in sequence.
     */
    ClientMessageError checkMessage(final ClientMessageFlyweight message)
    {
        final ClientMessageError error = messageCodec.validateClient(message.buffer(), message.offset(),
            message.length());
        if (error != ClientMessageError.NONE)
        {
            return error;
        }
        if (!anyFirstSeq && message.messageSeq() != Sequence.next(lastMessageSeq))
        {
            return ClientMessageError.BAD_MESSAGE_SEQUENCE;
        }
        if (!budget(messageCodec.type()).tryConsume(1))
        {
            return ClientMessageError.MESSAGE_RATE_LIMITED;
        }
        return ClientMessageError.NONE;
    }

    /**
     * @return the budget of a client message type, made the first time the connection sends one: a game may declare
     * 127 types, and most connections send few of them.
     */
    private Bucket budget(final MessageType messageType)
    {
        Bucket budget = budgetByType[messageType.id()];
        if (budget == null)
        {
            budget = Bucket.builder()
                .addLimit(limit -> limit.capacity(messageType.burst())
                    .refillGreedy(messageType.ratePerSecond(), Duration.ofSeconds(1)))
                .withSynchronizationStrategy(SynchronizationStrategy.NONE)
                .build();
            budgetByType[messageType.id()] = budget;
        }
        return budget;
    }

    /**
     * Records that the message just checked was accepted: handed to the shard.
     */
    void onMessageAccepted(final ClientMessageFlyweight message)
    {
        lastMessageSeq = message.messageSeq();
        anyFirstSeq = false;
    }
}
