// Realistic fake records (East, West and Southern African markets) for the demo business, `mteja seed` and benchmarks.
import { type Faker, faker, fakerEN_GH, fakerEN_NG, fakerEN_ZA } from '@faker-js/faker';
import type { AppointmentCreate } from '../modules/appointment/appointment.schema.js';
import type { BookingCreate } from '../modules/booking/booking.schema.js';
import type { ContactCreate } from '../modules/contact/contact.schema.js';
import type { ContractCreate } from '../modules/contract/contract.schema.js';
import type { CustomerCreate } from '../modules/customer/customer.schema.js';
import { LEAD_STATUSES, type LeadCreate } from '../modules/lead/lead.schema.js';
import type { QuoteCreate } from '../modules/quote/quote.schema.js';

// East African names: faker has no Swahili locale, so a short list stands in for one.
const EAST_FIRST = [
  'Wanjiku',
  'Achieng',
  'Njeri',
  'Akinyi',
  'Wambui',
  'Amani',
  'Baraka',
  'Otieno',
  'Kamau',
  'Mwangi',
  'Kiprop',
  'Chebet',
  'Nafula',
  'Juma',
  'Zawadi',
  'Neema',
  'Imani',
  'Musa',
  'Halima',
  'Faraji',
  'Wekesa',
  'Auma',
  'Kibet',
  'Nyokabi',
  'Mutua',
];
const EAST_LAST = [
  'Kamau',
  'Otieno',
  'Wanjiru',
  'Mwangi',
  'Odhiambo',
  'Kariuki',
  'Njoroge',
  'Mutua',
  'Kiprotich',
  'Chege',
  'Ochieng',
  'Wafula',
  'Mugo',
  'Nyambura',
  'Kimani',
  'Onyango',
  'Mbugua',
  'Rotich',
  'Ndegwa',
  'Macharia',
  'Ssempala',
  'Mushi',
  'Habimana',
  'Okello',
  'Nakato',
];

interface Market {
  country: string;
  currency: string;
  dial: string;
  cities: string[];
  weight: number;
  faker?: Faker;
}

const MARKETS: Market[] = [
  {
    country: 'Kenya',
    currency: 'KES',
    dial: '+2547',
    cities: ['Nairobi', 'Mombasa', 'Kisumu', 'Nakuru', 'Eldoret'],
    weight: 45,
  },
  { country: 'Uganda', currency: 'UGX', dial: '+2567', cities: ['Kampala', 'Entebbe', 'Gulu', 'Mbarara'], weight: 10 },
  {
    country: 'Tanzania',
    currency: 'TZS',
    dial: '+2557',
    cities: ['Dar es Salaam', 'Arusha', 'Dodoma', 'Mwanza'],
    weight: 10,
  },
  { country: 'Rwanda', currency: 'RWF', dial: '+2507', cities: ['Kigali', 'Musanze', 'Huye'], weight: 5 },
  {
    country: 'Nigeria',
    currency: 'NGN',
    dial: '+2348',
    cities: ['Lagos', 'Abuja', 'Ibadan', 'Port Harcourt'],
    weight: 15,
    faker: fakerEN_NG,
  },
  {
    country: 'Ghana',
    currency: 'GHS',
    dial: '+2332',
    cities: ['Accra', 'Kumasi', 'Tamale'],
    weight: 7,
    faker: fakerEN_GH,
  },
  {
    country: 'South Africa',
    currency: 'ZAR',
    dial: '+277',
    cities: ['Johannesburg', 'Cape Town', 'Durban', 'Pretoria'],
    weight: 8,
    faker: fakerEN_ZA,
  },
];

const INDUSTRIES = [
  'Agriculture',
  'Retail',
  'Logistics',
  'Fintech',
  'Healthcare',
  'Education',
  'Hospitality',
  'Manufacturing',
  'Real estate',
  'Telecoms',
  'Energy',
  'Media',
];
const SOURCES = ['website', 'referral', 'ad', 'event', 'cold_call', 'partner', 'social'];
const JOB_TITLES = [
  'CEO',
  'CTO',
  'CFO',
  'Operations Manager',
  'Procurement Manager',
  'Finance Director',
  'Head of Sales',
  'IT Manager',
  'Founder',
  'Marketing Lead',
];
const PRODUCTS = [
  'Annual licence',
  'Onboarding workshop',
  'Support retainer',
  'POS terminal',
  'Payment integration',
  'Training day',
  'Consulting hours',
  'Hosting (12 months)',
  'Custom report',
  'SMS bundle',
];

function market(): Market {
  let n = faker.number.int({ min: 1, max: MARKETS.reduce((s, m) => s + m.weight, 0) });
  for (const m of MARKETS) {
    n -= m.weight;
    if (n <= 0) return m;
  }
  return MARKETS[0];
}

function person(m: Market) {
  if (m.faker) return { first: m.faker.person.firstName(), last: m.faker.person.lastName() };
  return { first: faker.helpers.arrayElement(EAST_FIRST), last: faker.helpers.arrayElement(EAST_LAST) };
}

const phone = (m: Market) => `${m.dial}${faker.string.numeric(8)}`;
const slug = (s: string) =>
  s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '');

/** Makes fake records. `tag` keeps emails unique across seeding runs into the same business. */
export class FakeData {
  private n = 0;
  constructor(private readonly tag = faker.string.alphanumeric({ length: 4, casing: 'lower' })) {}

  /** Fixes the random sequence, so the demo business looks the same on every machine. */
  static seeded(seed: number, tag: string) {
    faker.seed(seed);
    return new FakeData(tag);
  }

  private email(first: string, last: string, domain?: string) {
    this.n += 1;
    return `${slug(first)}.${slug(last)}.${this.tag}${this.n.toString(36)}@${domain ?? faker.helpers.arrayElement(['gmail.com', 'yahoo.com', 'outlook.com', 'mail.co.ke'])}`;
  }

  customer(): CustomerCreate {
    const m = market();
    const p = person(m);
    const isBusiness = faker.datatype.boolean({ probability: 0.35 });
    const company = isBusiness ? (m.faker ?? faker).company.name() : undefined;
    return {
      name: `${p.first} ${p.last}`,
      email: this.email(p.first, p.last, company ? `${slug(company).slice(0, 20) || 'company'}.com` : undefined),
      phone: phone(m),
      country: m.country,
      currency: m.currency,
      company,
      address: faker.location.streetAddress(),
      city: faker.helpers.arrayElement(m.cities),
      type: isBusiness ? 'business' : 'individual',
    };
  }

  lead(status = faker.helpers.arrayElement(LEAD_STATUSES)): LeadCreate {
    const m = market();
    const p = person(m);
    const company = (m.faker ?? faker).company.name();
    return {
      name: `${p.first} ${p.last}`,
      email: this.email(p.first, p.last),
      phone: phone(m),
      company,
      jobtitle: faker.helpers.arrayElement(JOB_TITLES),
      industry: faker.helpers.arrayElement(INDUSTRIES),
      website: `https://${slug(company).slice(0, 20) || 'company'}.com`,
      request: faker.helpers.arrayElement([
        'Interested in enterprise billing',
        'Needs a quote for 20 seats',
        'Asked for a demo',
        'Wants M-Pesa integration',
        'Comparing providers',
      ]),
      budget: faker.number.int({ min: 5, max: 500 }) * 1000,
      country: m.country,
      source: faker.helpers.arrayElement(SOURCES),
      status: status === 'converted' ? 'qualified' : status,
    };
  }

  contact(): ContactCreate {
    const m = market();
    const p = person(m);
    return {
      name: `${p.first} ${p.last}`,
      email: this.email(p.first, p.last),
      phone: phone(m),
      position: faker.helpers.arrayElement(JOB_TITLES),
      companyname: (m.faker ?? faker).company.name(),
    };
  }

  quote(customerid: string | undefined, currency: string): QuoteCreate {
    const issued = faker.date.recent({ days: 120 });
    return {
      title: `${faker.helpers.arrayElement(['Proposal', 'Quotation', 'Estimate'])}: ${faker.helpers.arrayElement(PRODUCTS)}`,
      description:
        faker.helpers.arrayElement(['Prices valid for 30 days.', 'Includes installation and training.', null]) ??
        undefined,
      customerid,
      currency,
      items: Array.from({ length: faker.number.int({ min: 1, max: 4 }) }, () => ({
        title: faker.helpers.arrayElement(PRODUCTS),
        quantity: faker.number.int({ min: 1, max: 10 }),
        rate: faker.number.int({ min: 10, max: 2000 }) * 50,
        discount: faker.helpers.arrayElement([0, 0, 500, 1000]),
        taxrate: faker.helpers.arrayElement([0, 16, 16, 8]),
      })),
      issuedate: issued.toISOString(),
      expirydate: new Date(issued.getTime() + 30 * 86400_000).toISOString(),
      status: faker.helpers.arrayElement(['draft', 'sent', 'accepted', 'rejected', 'expired', 'invoiced'] as const),
    };
  }

  contract(customerid: string | undefined, currency: string): ContractCreate {
    const start = faker.date.between({ from: Date.now() - 300 * 86400_000, to: Date.now() + 30 * 86400_000 });
    const months = faker.helpers.arrayElement([3, 6, 12, 24]);
    const type = faker.helpers.arrayElement(['maintenance', 'service', 'sales', 'nda', 'support']);
    return {
      title: `${type[0].toUpperCase()}${type.slice(1)} agreement`,
      type,
      description: `${months}-month ${type} agreement`,
      customerid,
      value: faker.number.int({ min: 20, max: 2000 }) * 500,
      currency,
      startdate: start.toISOString(),
      enddate: new Date(start.getTime() + months * 30 * 86400_000).toISOString(),
      signeddate: new Date(start.getTime() - 5 * 86400_000).toISOString(),
      autorenew: faker.datatype.boolean(),
      status: faker.helpers.arrayElement([
        'draft',
        'sent',
        'signed',
        'active',
        'active',
        'expired',
        'terminated',
      ] as const),
    };
  }

  appointment(i: number): AppointmentCreate {
    const kinds = [
      { title: 'Discovery call', category: 'phone_call', duration: 30, price: 0 },
      { title: 'Product demo', category: 'video_call', duration: 45, price: 0 },
      { title: 'Onboarding session', category: 'in_person', duration: 120, price: 15000 },
      { title: 'Quarterly review', category: 'meeting', duration: 60, price: 5000 },
    ] as const;
    const kind = kinds[i % kinds.length];
    const weekdays = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'] as const;
    return {
      ...kind,
      title: i < kinds.length ? kind.title : `${kind.title} ${Math.floor(i / kinds.length) + 1}`,
      description: `${kind.duration}-minute ${kind.title.toLowerCase()}`,
      currency: 'KES',
      location: kind.category === 'in_person' ? 'Westlands, Nairobi' : undefined,
      timezone: 'Africa/Nairobi',
      availability: weekdays.map((day) => ({ day, start: '09:00', end: '17:00' })),
      bufferminutes: faker.helpers.arrayElement([0, 10, 15]),
      status: 'active',
    };
  }

  booking(
    appointment: { _id: string; title: string; duration: number; category: BookingCreate['type'] },
    customer?: { _id: string; name: string; email: string },
  ): BookingCreate {
    const start = faker.date.between({ from: Date.now() - 60 * 86400_000, to: Date.now() + 30 * 86400_000 });
    start.setUTCMinutes(0, 0, 0);
    start.setUTCHours(faker.number.int({ min: 6, max: 13 }));
    const past = start.getTime() < Date.now();
    return {
      title: customer ? `${appointment.title} with ${customer.name}` : appointment.title,
      starttime: start.toISOString(),
      endtime: new Date(start.getTime() + appointment.duration * 60_000).toISOString(),
      type: appointment.category,
      appointmentid: appointment._id,
      customerid: customer?._id,
      attendee: customer ? { name: customer.name, email: customer.email } : undefined,
      meetinglink:
        appointment.category === 'video_call' ? `https://meet.example.com/${faker.string.alphanumeric(10)}` : undefined,
      status: past
        ? faker.helpers.arrayElement(['completed', 'completed', 'completed', 'cancelled', 'no-show'] as const)
        : 'scheduled',
    };
  }
}
