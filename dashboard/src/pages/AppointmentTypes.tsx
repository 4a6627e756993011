// Appointment types: bookable kinds of session, each with its hours and booking statistics.
import { api } from '../api';
import { useApp } from '../app-context';
import { money, words } from '../format';
import { useAsync } from '../hooks';
import { FilterChips, useListState } from '../list-state';
import { Link } from '../router';
import type { Appointment } from '../types';
import { ButtonLink } from '../ui/Button';
import { Empty, LoadError, PageHeader, placeholders, StatusBadge } from '../ui/bits';
import { Icon, type IconName } from '../ui/icons';
import { Pager } from '../ui/Table';

export const CATEGORY_ICONS: Record<string, IconName> = {
  meeting: 'customers',
  video_call: 'video',
  phone_call: 'phone',
  in_person: 'pin',
};

export function AppointmentTypesPage() {
  const { meta } = useApp();
  const list = useListState(24);
  const status = list.get('status') || 'active';
  const types = useAsync(
    () =>
      api.list<Appointment>('appointment', {
        page: list.page,
        limit: list.limit,
        status: status === 'all' ? undefined : status,
      }),
    [list.page, list.limit, status],
  );
  return (
    <>
      <PageHeader
        title="Appointment types"
        subtitle="What customers can book: length, price, buffer and weekly hours"
        actions={
          <ButtonLink to="/appointment-types/new" variant="primary" icon="plus">
            New appointment type
          </ButtonLink>
        }
      />
      <div class="mb">
        <FilterChips
          label="Status"
          value={status === 'all' ? '' : status}
          options={meta.appointmentstatuses}
          onChange={(v) => list.set({ status: v || 'all' })}
        />
      </div>
      {types.error && !types.data ? (
        <LoadError error={types.error} retry={types.reload} />
      ) : !types.data ? (
        <div class="type-cards">
          {placeholders(3).map((n) => (
            <div key={n} class="card type-card">
              <span class="skeleton" style={{ width: '60%' }} />
              <span class="skeleton" style={{ width: '40%' }} />
              <span class="skeleton" style={{ width: '80%' }} />
            </div>
          ))}
        </div>
      ) : types.data.data.length === 0 ? (
        <div class="card">
          <Empty
            icon="types"
            title={
              status === 'active'
                ? 'No appointment types yet'
                : `No ${status === 'all' ? '' : status} appointment types`
            }
            action={
              <ButtonLink to="/appointment-types/new" variant="primary" icon="plus">
                New appointment type
              </ButtonLink>
            }
          >
            An appointment type is what a customer books: a discovery call, a demo, an onboarding session.
          </Empty>
        </div>
      ) : (
        <>
          <div class="type-cards">
            {types.data.data.map((t) => (
              <Link key={t._id} to={`/appointment-types/${t._id}`} class="card type-card">
                <div class="row">
                  <div class="type-icon">
                    <Icon name={CATEGORY_ICONS[t.category] ?? 'types'} size={18} />
                  </div>
                  <div class="grow">
                    <div class="title">{t.title}</div>
                    <div class="small muted">
                      {words(t.category)} · {t.duration} min{t.bufferminutes ? ` + ${t.bufferminutes} min buffer` : ''}
                    </div>
                  </div>
                  <StatusBadge status={t.status} />
                </div>
                <div class="row small muted wrap">
                  <span>{t.price > 0 ? money(t.price, t.currency) : 'Free'}</span>·<span>{t.timezone}</span>·
                  <span>
                    {t.availability.length} weekly window{t.availability.length === 1 ? '' : 's'}
                  </span>
                </div>
                <div class="type-stats">
                  <div>
                    <div class="v">{t.stats.upcoming}</div>
                    <div class="l">Upcoming</div>
                  </div>
                  <div>
                    <div class="v">{t.stats.completed}</div>
                    <div class="l">Completed</div>
                  </div>
                  <div>
                    <div class="v">{t.stats.completionrate}%</div>
                    <div class="l">Completion rate</div>
                  </div>
                </div>
              </Link>
            ))}
          </div>
          {types.data.pagination.pages > 1 && (
            <div class="card mt">
              <Pager
                {...types.data.pagination}
                page={list.page}
                limit={list.limit}
                onPage={(page) => list.set({ page })}
              />
            </div>
          )}
        </>
      )}
    </>
  );
}
