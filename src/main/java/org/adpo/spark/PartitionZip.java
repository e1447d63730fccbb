package org.adpo.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.RDD;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;
import scala.runtime.AbstractFunction2;

/**
 * {@code zipPartitions} for the per-round jobs of the greedy loop without Spark's closure cleaner.
 * {@link JavaRDD#zipPartitions} wraps the function in a Scala closure that the cleaner inspects by
 * reading class files with ASM on every call, and so does {@link JavaRDD#collect} for its own
 * closure: with one pick per round those two were the largest cost on the driver. Here the functions
 * are plain serializable objects, which the cleaner skips.
 */
final class PartitionZip {
  private PartitionZip() {}

  /** The function applied to the two partitions' iterators. It must capture only serializable values. */
  interface Fn<A, B, C> extends Serializable {
    Iterator<C> apply(Iterator<A> a, Iterator<B> b);
  }

  @SuppressWarnings("unchecked")
  static <A, B, C> JavaRDD<C> zip(JavaRDD<A> a, JavaRDD<B> b, Fn<A, B, C> fn) {
    ClassTag<B> tagB = (ClassTag<B>) ClassTag$.MODULE$.apply(Object.class);
    ClassTag<C> tagC = (ClassTag<C>) ClassTag$.MODULE$.apply(Object.class);
    RDD<C> zipped = a.rdd().zipPartitions(b.rdd(), false, new Adapter<>(fn), tagB, tagC);
    return new JavaRDD<>(zipped, tagC);
  }

  /** {@link JavaRDD#collect}: every element, partitions in order. */
  @SuppressWarnings("unchecked")
  static <T> List<T> collect(JavaRDD<T> rdd) {
    Object parts = rdd.context().runJob(rdd.rdd(), new Drain<T>(), ClassTag$.MODULE$.apply(Object.class));
    List<T> out = new ArrayList<>();
    for (Object part : (Object[]) parts) {
      out.addAll((List<T>) part);
    }
    return out;
  }

  private static final class Drain<T> extends AbstractFunction1<scala.collection.Iterator<T>, Object>
      implements Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public Object apply(scala.collection.Iterator<T> it) {
      List<T> list = new ArrayList<>();
      while (it.hasNext()) {
        list.add(it.next());
      }
      return list;
    }
  }

  private static final class Adapter<A, B, C>
      extends AbstractFunction2<scala.collection.Iterator<A>, scala.collection.Iterator<B>, scala.collection.Iterator<C>>
      implements Serializable {
    private static final long serialVersionUID = 1L;
    private final Fn<A, B, C> fn;

    Adapter(Fn<A, B, C> fn) {
      this.fn = fn;
    }

    @Override
    public scala.collection.Iterator<C> apply(scala.collection.Iterator<A> a, scala.collection.Iterator<B> b) {
      Iterator<C> out = fn.apply(new JavaIt<>(a), new JavaIt<>(b));
      return new ScalaIt<>(out);
    }
  }

  private static final class JavaIt<T> implements Iterator<T> {
    private final scala.collection.Iterator<T> it;

    JavaIt(scala.collection.Iterator<T> it) {
      this.it = it;
    }

    @Override
    public boolean hasNext() {
      return it.hasNext();
    }

    @Override
    public T next() {
      return it.next();
    }
  }

  private static final class ScalaIt<T> extends scala.collection.AbstractIterator<T> {
    private final Iterator<T> it;

    ScalaIt(Iterator<T> it) {
      this.it = it;
    }

    @Override
    public boolean hasNext() {
      return it.hasNext();
    }

    @Override
    public T next() {
      return it.next();
    }
  }
}
