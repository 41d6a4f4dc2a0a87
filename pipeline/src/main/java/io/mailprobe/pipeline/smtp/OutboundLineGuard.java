package io.mailprobe.pipeline.smtp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;

/**
 * The last check before bytes leave for the server: every outbound buffer must be exactly one command line ending
 * in CRLF, with no other CR, LF or NUL inside, and never DATA or BDAT. Sits between the request encoder and the
 * socket (or TLS), so nothing upstream can smuggle a second command or start a message.
 */
final class OutboundLineGuard extends ChannelOutboundHandlerAdapter {

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    String refusal = msg instanceof ByteBuf buf ? refusal(buf) : "not a command line: " + msg.getClass().getName();
    if (refusal != null) {
      ReferenceCountUtil.release(msg);
      promise.setFailure(new IllegalArgumentException("refused outbound line: " + refusal));
      return;
    }
    ctx.write(msg, promise);
  }

  /** Why the buffer must not be sent, or null when it is one safe command line. */
  static String refusal(ByteBuf buf) {
    int start = buf.readerIndex();
    int end = buf.writerIndex();
    int length = end - start;
    if (length < 2 || buf.getByte(end - 2) != '\r' || buf.getByte(end - 1) != '\n') {
      return "does not end in CRLF";
    }
    for (int i = start; i < end - 2; i++) {
      byte b = buf.getByte(i);
      if (b == '\r' || b == '\n' || b == 0) {
        return "bare CR, LF or NUL at offset " + (i - start);
      }
    }
    if (startsWithVerb(buf, start, end - 2, "DATA") || startsWithVerb(buf, start, end - 2, "BDAT")) {
      return "message transfer is never sent by a prober";
    }
    return null;
  }

  private static boolean startsWithVerb(ByteBuf buf, int start, int lineEnd, String verb) {
    if (lineEnd - start < verb.length()) {
      return false;
    }
    for (int i = 0; i < verb.length(); i++) {
      if (Character.toUpperCase((char) buf.getByte(start + i)) != verb.charAt(i)) {
        return false;
      }
    }
    return lineEnd - start == verb.length() || buf.getByte(start + verb.length()) == ' ';
  }
}
