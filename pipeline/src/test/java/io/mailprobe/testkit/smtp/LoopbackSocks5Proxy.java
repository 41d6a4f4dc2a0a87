package io.mailprobe.testkit.smtp;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.socksx.v5.DefaultSocks5CommandResponse;
import io.netty.handler.codec.socksx.v5.DefaultSocks5InitialResponse;
import io.netty.handler.codec.socksx.v5.Socks5AddressType;
import io.netty.handler.codec.socksx.v5.Socks5AuthMethod;
import io.netty.handler.codec.socksx.v5.Socks5CommandRequest;
import io.netty.handler.codec.socksx.v5.Socks5CommandRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5CommandStatus;
import io.netty.handler.codec.socksx.v5.Socks5CommandType;
import io.netty.handler.codec.socksx.v5.Socks5InitialRequest;
import io.netty.handler.codec.socksx.v5.Socks5InitialRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5ServerEncoder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A minimal SOCKS5 proxy on loopback (no authentication, CONNECT only) for testing the prober's proxy path. It
 * relays only to loopback destinations and records every destination it connected to.
 */
public final class LoopbackSocks5Proxy implements AutoCloseable {

  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final List<String> destinations = new CopyOnWriteArrayList<>();
  private final Channel listener;

  public LoopbackSocks5Proxy() {
    listener =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast("socks-encoder", Socks5ServerEncoder.DEFAULT);
                    ch.pipeline().addLast("socks-decoder", new Socks5InitialRequestDecoder());
                    ch.pipeline().addLast("socks", new Handshake());
                  }
                })
            .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .syncUninterruptibly()
            .channel();
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) listener.localAddress();
  }

  /** Destinations relayed to, as {@code ip:port}, in order. */
  public List<String> destinations() {
    return List.copyOf(destinations);
  }

  @Override
  public void close() {
    listener.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private final class Handshake extends SimpleChannelInboundHandler<Object> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object msg) throws Exception {
      if (msg instanceof Socks5InitialRequest) {
        ctx.pipeline().replace("socks-decoder", "socks-decoder", new Socks5CommandRequestDecoder());
        ctx.writeAndFlush(new DefaultSocks5InitialResponse(Socks5AuthMethod.NO_AUTH));
      } else if (msg instanceof Socks5CommandRequest request && request.type() == Socks5CommandType.CONNECT) {
        InetAddress target = InetAddress.getByName(request.dstAddr());
        if (!target.isLoopbackAddress()) {
          refuse(ctx, Socks5CommandStatus.FORBIDDEN);
          return;
        }
        Channel inbound = ctx.channel();
        inbound.config().setAutoRead(false);
        new Bootstrap()
            .group(inbound.eventLoop())
            .channel(NioSocketChannel.class)
            .handler(new Relay(inbound))
            .connect(target, request.dstPort())
            .addListener((ChannelFutureListener) f -> {
              if (!f.isSuccess()) {
                refuse(ctx, Socks5CommandStatus.CONNECTION_REFUSED);
                return;
              }
              destinations.add(target.getHostAddress() + ":" + request.dstPort());
              ctx.writeAndFlush(new DefaultSocks5CommandResponse(
                  Socks5CommandStatus.SUCCESS, Socks5AddressType.IPv4, "127.0.0.1", 0));
              ctx.pipeline().remove("socks-decoder");
              ctx.pipeline().remove("socks-encoder");
              ctx.pipeline().replace(this, "relay", new Relay(f.channel()));
              inbound.config().setAutoRead(true);
            });
      } else {
        refuse(ctx, Socks5CommandStatus.COMMAND_UNSUPPORTED);
      }
    }

    private void refuse(ChannelHandlerContext ctx, Socks5CommandStatus status) {
      ctx.writeAndFlush(new DefaultSocks5CommandResponse(status, Socks5AddressType.IPv4))
          .addListener(ChannelFutureListener.CLOSE);
    }
  }

  /** Copies bytes to the peer and closes it when this side closes. */
  private static final class Relay extends ChannelInboundHandlerAdapter {
    private final Channel peer;

    Relay(Channel peer) {
      this.peer = peer;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      peer.writeAndFlush(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      peer.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
